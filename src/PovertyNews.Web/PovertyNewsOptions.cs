using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web;

/// <summary>The "PovertyNews" configuration section.</summary>
public sealed class PovertyNewsOptions
{
    public const string SectionName = "PovertyNews";

    /// <summary>Folder imported into an empty database on first start. Defaults to the repository's content/.</summary>
    public string? ContentPath { get; set; }

    /// <summary>Folder for the SQLite database, logs and uploads. Relative paths are taken from the content root.</summary>
    public string DataPath { get; set; } = "App_Data";

    /// <summary>Whether an empty database is filled from <see cref="ContentPath"/> at start.</summary>
    public bool ImportContentOnFirstStart { get; set; } = true;

    public AdminBootstrapOptions Admin { get; set; } = new();
}

public sealed class AdminBootstrapOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}

/// <summary>The "PovertyNews:Reading" section: how reads are counted and lists are paged.</summary>
public sealed class ReadingOptions
{
    public const string SectionName = "PovertyNews:Reading";

    /// <summary>How often buffered view counts are written to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ViewFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(5, 100)]
    public int PageSize { get; set; } = 20;

    /// <summary>Days of reads that rank 热点新闻.</summary>
    [Range(1, 90)]
    public int HotNewsDays { get; set; } = 7;
}
