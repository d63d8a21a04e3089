using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Comments;

/// <summary>The "PovertyNews:Comments" section: reader comments (留言) under reports.</summary>
public sealed class CommentOptions
{
    public const string SectionName = "PovertyNews:Comments";

    /// <summary>Off: no form, no list, and posts answer 404; comments already stored stay for the moderators.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Comments one client (one address) may post within <see cref="RateWindow"/>, on any article.</summary>
    [Range(1, 1000)]
    public int RateLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Seconds that must pass between rendering the form and posting it: a person reads and types, a script posts at
    /// once. The article page is output-cached, so a cached form is older than its reader's visit (see README).
    /// </summary>
    [Range(0, 600)]
    public int MinSecondsBeforePost { get; set; } = 3;

    /// <summary>A form older than this is refused (a stamp harvested once is not good forever). Longer than the reader cache.</summary>
    [Range(typeof(TimeSpan), "00:30:00", "30.00:00:00")]
    public TimeSpan MaxFormAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Rejected comments are deleted, and every comment's client hash dropped, after this many days.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 180;

    /// <summary>How often the retention pass runs.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The secret the client address is hashed with (HMAC-SHA256), at least 32 characters. Unset, a random key is made
    /// once and kept in the data folder (comment-client.key): enough for one node. Nodes sharing a database must be
    /// given the same key here, or each counts its own clients.
    /// </summary>
    [MinLength(32)]
    public string? ClientHashKey { get; set; }
}
