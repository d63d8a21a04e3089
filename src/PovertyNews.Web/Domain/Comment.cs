namespace PovertyNews.Web.Domain;

public enum CommentStatus
{
    /// <summary>Held for review (先审后发): only moderators see it.</summary>
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// A reader's comment (留言) under a report. Personal data is kept minimal: an optional name, and a salted hash of the
/// client address for rate limiting, dropped after the retention period with the rejected comments.
/// </summary>
public class Comment
{
    public const int MaxNameLength = 40;
    public const int MaxBodyLength = 1000;
    public const int MaxReplyLength = 1000;

    public long Id { get; set; }
    public int ArticleId { get; set; }

    /// <summary>As the reader gave it; null shows as 网友.</summary>
    public string? AuthorName { get; set; }

    /// <summary>Plain text; rendered encoded, never as HTML.</summary>
    public required string Body { get; set; }
    public CommentStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Signed-in staff who commented, or null for a reader.</summary>
    public string? UserId { get; set; }

    /// <summary>HMAC-SHA256 of the client address with the site's secret salt, hex; null once the retention period passed.</summary>
    public string? ClientHash { get; set; }

    /// <summary>Flag-words the sensitive-word list found in it, for the moderator ("、"-separated).</summary>
    public string? FlaggedWords { get; set; }

    public DateTime? ModeratedAt { get; set; }
    public string? ModeratedBy { get; set; }

    /// <summary>编辑回复, shown under the comment.</summary>
    public string? Reply { get; set; }
    public DateTime? RepliedAt { get; set; }
    public string? RepliedBy { get; set; }
}
