namespace PovertyNews.Web.Domain;

/// <summary>Where an article stands in the newsroom's workflow.</summary>
public enum ArticleStatus
{
    Draft = 0,
    Submitted = 1,
    InReview = 2,
    Approved = 3,
    /// <summary>Passed every review level and due at <see cref="Article.PublishedAt"/>, which may lie in the future.</summary>
    Published = 4,
    Withdrawn = 5,
}

public enum ArticleKind
{
    Article = 0,
    Video = 1,
}
