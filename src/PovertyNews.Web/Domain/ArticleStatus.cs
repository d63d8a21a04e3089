namespace PovertyNews.Web.Domain;

/// <summary>Where an article stands in the newsroom's workflow.</summary>
public enum ArticleStatus
{
    Draft = 0,
    Submitted = 1,
    InReview = 2,
    /// <summary>Passed every review level; waits to be published or scheduled.</summary>
    Approved = 3,
    Published = 4,
    Withdrawn = 5,
    /// <summary>Approved and due at <see cref="Article.PublishedAt"/>. Readers see it from that minute on, job or no job.</summary>
    Scheduled = 6,
    /// <summary>删除: in the recycle bin (回收站) since <see cref="Article.RecycledAt"/>; restorable until the purge.</summary>
    Recycled = 7,
}

public enum ArticleKind
{
    Article = 0,
    Video = 1,
    /// <summary>图集: the body is an ordered set of media-library images, each with its caption.</summary>
    Gallery = 2,
}

/// <summary>Where an article's pending version (an edit of reviewed text) stands in its own review.</summary>
public enum ChangeState
{
    None = 0,

    /// <summary>Saved, not yet submitted.</summary>
    Draft = 1,

    /// <summary>Submitted; <see cref="Article.PendingReviewLevel"/> says how far it has come.</summary>
    InReview = 2,
}
