using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Newsroom.RecycleBin;

/// <summary>The "PovertyNews:RecycleBin" section: how long a deleted report waits in the 回收站, and how often the purge runs.</summary>
public sealed class RecycleBinOptions
{
    public const string SectionName = "PovertyNews:RecycleBin";

    /// <summary>Days a report stays restorable after it was deleted; then the purge job deletes it for good.</summary>
    [Range(1, 3650, ErrorMessage = "PovertyNews:RecycleBin:RetentionDays must be from 1 to 3650 days.")]
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the purge job looks for reports past their time.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
