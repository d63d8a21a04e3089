using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Reading;

/// <summary>The "PovertyNews:Reading" section: how reads are counted and lists are paged.</summary>
public sealed class ReadingOptions
{
    public const string SectionName = "PovertyNews:Reading";

    /// <summary>How often buffered view counts are written to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ViewFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One read per client (address and browser) and article counts in this window; repeated views in it do not.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReadWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The most reads one source (an address, an IPv6 /64) adds to one article per <see cref="ReadWindow"/>, however
    /// many browsers it claims to be: room for a shared office or school connection, not for a script.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxReadsPerSource { get; set; } = 20;

    /// <summary>Client and source entries the in-memory read window keeps at most (about 100 bytes each).</summary>
    [Range(1_000, 10_000_000)]
    public int MaxTrackedReads { get; set; } = 500_000;

    [Range(5, 100)]
    public int PageSize { get; set; } = 20;

    /// <summary>Days of reads that rank 热点新闻.</summary>
    [Range(1, 90)]
    public int HotNewsDays { get; set; } = 7;

    /// <summary>
    /// Body paragraphs begin with a two-character indent (首行缩进两字), as Chinese print and most Chinese news sites
    /// set them. Off for a house style of unindented paragraphs with space between.
    /// </summary>
    public bool IndentParagraphs { get; set; } = true;

    /// <summary>Body paragraphs are justified (两端对齐), so lines of Chinese end flush at the right edge.</summary>
    public bool JustifyParagraphs { get; set; } = true;
}
