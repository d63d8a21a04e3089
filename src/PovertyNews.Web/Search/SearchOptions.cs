using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Search;

/// <summary>The "PovertyNews:Search" section.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "PovertyNews:Search";

    [Range(5, 100)]
    public int PageSize { get; set; } = 20;

    /// <summary>Longer queries are cut here, with a notice.</summary>
    [Range(10, 1000)]
    public int MaxQueryLength { get; set; } = 100;

    /// <summary>
    /// Relevance is computed over this many of the newest matches. A word found in half a million reports would
    /// otherwise be scored half a million times on every request; the newest matches are what news readers want
    /// first, and narrower queries (a rarer word, a date range, a channel) are ranked exactly. Each candidate's text
    /// is read and scored, about 25 µs apiece on this machine: 500 keeps a common word's search near 20 ms.
    /// </summary>
    [Range(100, 10_000_000)]
    public int RankingWindow { get; set; } = 500;

    /// <summary>
    /// Documents holding a query term are counted up to this number for its IDF. Terms found more often all count
    /// as this common: counting further walks the term's whole posting list (70 ms for a common word at a million).
    /// </summary>
    [Range(100, 10_000_000)]
    public int DocumentFrequencyLimit { get; set; } = 20_000;

    /// <summary>Matches are counted up to this number; beyond it the page says "more than".</summary>
    [Range(100, 10_000_000)]
    public int CountLimit { get; set; } = 5_000;

    /// <summary>Deepest page offered; deeper reading goes through filters or the date sort.</summary>
    [Range(1, 10_000)]
    public int MaxPages { get; set; } = 100;

    /// <summary>Rows the export writes at most.</summary>
    [Range(1, 1_000_000)]
    public int ExportLimit { get; set; } = 10_000;

    /// <summary>
    /// Articles per transaction when the index is rebuilt or repaired. Larger batches amortise the commits; each batch
    /// holds the write lock while its rows go in, so editors' saves wait at most one batch.
    /// </summary>
    [Range(1, 100_000)]
    public int RebuildBatchSize { get; set; } = 2_000;

    /// <summary>
    /// Compare the index's article count with the articles table once the site has started, and repair a difference
    /// in the background (<see cref="SearchIndexCheck"/>).
    /// </summary>
    public bool CheckOnStart { get; set; } = true;
}
