namespace PovertyNews.Web.Domain;

/// <summary>
/// 保存的检索: a staff search kept under a name by one person, optionally with an alert (a notification when a newly
/// published report matches it).
/// </summary>
public class SavedSearch
{
    public int Id { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The staff search page's query string (q, channel, status, dates…), as the page parses it.</summary>
    public string Query { get; set; } = "";

    public bool Alert { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Reports published up to this time have been checked against the search for the alert.</summary>
    public DateTime? CheckedUpTo { get; set; }
}

/// <summary>
/// A group of words a search treats as one (湘西 ⇄ 湘西州 ⇄ 湘西土家族苗族自治州), kept by administrators and applied at
/// query time.
/// </summary>
public class SearchSynonym
{
    public int Id { get; set; }

    /// <summary>The words of the group, separated by single spaces.</summary>
    public string Words { get; set; } = "";

    public DateTime UpdatedAt { get; set; }
}

/// <summary>An old tag name that now lives under another tag (after a rename or merge); /tags/{old} redirects there.</summary>
public class TagRedirect
{
    public string OldName { get; set; } = "";
    public int TagId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Reads of one article on one day that came from one referring host (the host only: no path, no query, no reader).
/// An empty host means no referrer (typed, bookmarked, or an app that sends none).
/// </summary>
public class ArticleDailyReferrers
{
    public int ArticleId { get; set; }
    public DateOnly Day { get; set; }
    public string Host { get; set; } = "";
    public long Views { get; set; }
}
