using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.MediaCleanup;

/// <summary>The "PovertyNews:MediaCleanup" section: the background job that removes what killed uploads leave.</summary>
public sealed class MediaCleanupOptions
{
    public const string SectionName = "PovertyNews:MediaCleanup";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Files younger than this are never touched: an upload writes its files before its database row, and a large
    /// one may take minutes, so only a file this old without a row is known to be left over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromHours(1);
}
