namespace PovertyNews.Web.Newsroom.Articles;

public enum EditorOutcome
{
    Saved,

    /// <summary>An autosave found nothing new to save.</summary>
    Unchanged,
    Invalid,

    /// <summary>Someone else saved the article after the editor opened it; nothing was written.</summary>
    Conflict,
}
