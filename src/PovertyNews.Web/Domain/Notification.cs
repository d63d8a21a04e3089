namespace PovertyNews.Web.Domain;

/// <summary>What a notification tells its reader; each person chooses which of these reach them, and how.</summary>
public enum NotificationKind
{
    /// <summary>A report reached a review level the reader may pass (待我审).</summary>
    ReviewWaiting = 1,

    /// <summary>The reader's report was sent back (退回).</summary>
    SentBack = 2,

    /// <summary>The reader's report was published, or went out at its scheduled minute.</summary>
    Published = 3,

    /// <summary>A correction (更正) was made to the reader's published report.</summary>
    Corrected = 4,

    /// <summary>A newly published report matches one of the reader's saved searches.</summary>
    SavedSearchMatch = 5,
}

/// <summary>One entry of a person's inbox (消息). Kept until its reader deletes it or it ages out.</summary>
public class Notification
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public NotificationKind Kind { get; set; }
    public int? ArticleId { get; set; }

    /// <summary>The line shown in the inbox, written when the event happened (the article's title may change later).</summary>
    public string Text { get; set; } = "";

    /// <summary>Who caused it, by display name; null for the system.</summary>
    public string? ActorName { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>
/// One person's choice for one <see cref="NotificationKind"/>. A missing row means the default: in the inbox, no e-mail.
/// </summary>
public class NotificationPreference
{
    public string UserId { get; set; } = "";
    public NotificationKind Kind { get; set; }
    public bool InApp { get; set; } = true;
    public bool Email { get; set; }
}

/// <summary>
/// An e-mail waiting to be sent (an outbox): written in the same save as the event, sent by a background job with
/// retries, so a slow or absent SMTP server never delays or fails an editor's action.
/// </summary>
public class OutgoingEmail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}
