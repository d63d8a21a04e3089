namespace PovertyNews.Web.Newsroom.Articles;

public enum SaveKind
{
    Manual,
    Autosave,
    KeepMine,
    Restore,
}
