using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Common;

/// <summary>The "PovertyNews:Audit" section: how long the audit log is kept and how much the admin page verifies.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "PovertyNews:Audit";

    /// <summary>
    /// Entries older than this many days are pruned (the chain keeps an anchor, so it stays verifiable); empty keeps
    /// every entry. Never below 180 days: a shorter setting is refused at start.
    /// </summary>
    [Range(180, 36500, ErrorMessage = "PovertyNews:Audit:RetentionDays must be from 180 to 36500 days (or empty to keep everything).")]
    public int? RetentionDays { get; set; }

    /// <summary>How often the pruning job looks for entries past the retention period.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The admin page verifies at most this many of the newest entries per request; the <c>audit verify</c> command
    /// always checks the whole chain.
    /// </summary>
    [Range(100, 10_000_000)]
    public int PageVerifyLimit { get; set; } = 20_000;
}
