namespace PovertyNews.Web.Newsroom.Articles;

public enum EditAccess
{
    Allowed,

    /// <summary>The user may not even know the article exists (another reporter's piece).</summary>
    NotFound,

    /// <summary>The user may see the article but not change it (now).</summary>
    Forbidden,
}
