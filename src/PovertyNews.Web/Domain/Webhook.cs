namespace PovertyNews.Web.Domain;

/// <summary>What happened to a report that webhook endpoints may be told about.</summary>
[Flags]
public enum WebhookEvents
{
    None = 0,
    /// <summary>article.published: became visible to readers (published now, or a scheduled report fell due).</summary>
    ArticlePublished = 1,
    /// <summary>article.updated: a visible report's reader-facing text or metadata changed (an edit, a correction).</summary>
    ArticleUpdated = 2,
    /// <summary>article.withdrawn: 撤稿.</summary>
    ArticleWithdrawn = 4,
    /// <summary>article.expired: reached its 下线时间.</summary>
    ArticleExpired = 8,
    All = ArticlePublished | ArticleUpdated | ArticleWithdrawn | ArticleExpired,
}

/// <summary>How an endpoint is called: a signed JSON POST, or one of the presets.</summary>
public enum WebhookKind
{
    /// <summary>POST of the event as JSON, signed with HMAC-SHA256 over "{timestamp}.{body}".</summary>
    Generic = 0,
    /// <summary>A CDN purge call: POST of the changed URLs as JSON ({"urls": [...]}), signed the same way.</summary>
    CdnPurge = 1,
    /// <summary>百度 active push (普通收录 API): POST of the URLs, one per line, as text/plain, to the configured address with its token.</summary>
    BaiduPush = 2,
}

/// <summary>An administrator's registration of an address to tell about report events.</summary>
public class WebhookEndpoint
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 1000;

    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    public WebhookKind Kind { get; set; }
    public WebhookEvents Events { get; set; }

    /// <summary>The signing secret, protected with ASP.NET Core Data Protection (it must be read back to sign).</summary>
    public string ProtectedSecret { get; set; } = "";

    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// One event, written in the transaction of the save that caused it (or by the one node whose job noticed a scheduled
/// report fall due or expire), so it exists exactly once whatever the number of nodes. <see cref="Key"/> is unique:
/// "article.published:12:v3", so two nodes noticing the same moment insert one row.
/// </summary>
public class WebhookEvent
{
    public const int MaxKeyLength = 200;

    public long Id { get; set; }
    public required string Key { get; set; }

    /// <summary>"article.published", "article.updated", "article.withdrawn" or "article.expired".</summary>
    public required string Type { get; set; }
    public int ArticleId { get; set; }

    /// <summary>The event's JSON body as sent (the report's public fields at the time).</summary>
    public required string Payload { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>Set once deliveries have been made for every endpoint registered at the time.</summary>
    public DateTime? FannedOutAt { get; set; }
}

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Delivered = 1,
    /// <summary>Gave up after the last retry; an administrator may resend.</summary>
    Failed = 2,
}

/// <summary>
/// One event to one endpoint: the durable queue. A node claims a due row by setting <see cref="LockedUntil"/> in one
/// conditional UPDATE, so one node sends it; retries back off exponentially.
/// </summary>
public class WebhookDelivery
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public int EndpointId { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }

    /// <summary>Milliseconds the last attempt took.</summary>
    public int? LastDurationMs { get; set; }
}
