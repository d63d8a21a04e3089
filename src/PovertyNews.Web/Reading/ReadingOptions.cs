using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Reading;

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
