using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>The "PovertyNews:Backup" section: where scheduled backups go, when they run and how many are kept.</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string SectionName = "PovertyNews:Backup";

    /// <summary>
    /// Whether the daily backup runs. On by default: a site without one loses everything with its disk, and the
    /// obvious hand-made copy (<c>cp news.db</c>) misses what still sits in the write-ahead log.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of the scheduled archives; empty means <c>backups/</c> in the data folder. Relative paths are taken from the content root.</summary>
    public string? Folder { get; set; }

    /// <summary>Time of day, in China Standard Time, of the daily backup.</summary>
    public TimeSpan TimeOfDay { get; set; } = new(3, 30, 0);

    /// <summary>Days whose newest archive is kept (the newest days that have one).</summary>
    [Range(1, 366)]
    public int KeepDaily { get; set; } = 7;

    /// <summary>Weeks (Monday to Sunday, China time) whose newest archive is kept, on top of the daily ones.</summary>
    [Range(0, 520)]
    public int KeepWeekly { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TimeOfDay < TimeSpan.Zero || TimeOfDay >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("TimeOfDay must lie between 00:00 and 23:59:59.", [nameof(TimeOfDay)]);
        }
    }
}
