using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.Health;

/// <summary>The "PovertyNews:Health" section: the readiness checks behind <c>/healthz/ready</c>.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "PovertyNews:Health";

    /// <summary>
    /// How long a health answer is reused. A probe every second, or a crowd of them, then costs one run of the checks
    /// per period; zero runs them for every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often SQLite's <c>PRAGMA quick_check</c> reads the whole database file, in the background (also once at
    /// start). It reads every page, so on a large database it takes a while and is never run for a request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IntegrityCheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Below this much free space on the disk of the data or media folder, the site is not ready.</summary>
    [Range(0, long.MaxValue / (1024 * 1024))]
    public long MinimumFreeDiskMegabytes { get; set; } = 512;

    /// <summary>A check that takes longer than this counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
