using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Search;

/// <summary>
/// The full-text index over articles. One implementation per database provider; everything else
/// (pages, commands, the save pipeline) talks to this interface only.
/// </summary>
public interface ISearchIndex
{
    /// <summary>
    /// Re-indexes <paramref name="articleIds"/> (or removes them when they no longer exist) inside the
    /// context's current transaction, so the index and the articles can never disagree.
    /// </summary>
    Task UpdateAsync(NewsDbContext db, IReadOnlyCollection<int> articleIds, CancellationToken ct);

    /// <summary>
    /// Builds the whole index again from the articles, in batches, beside the one in use, and swaps it in at the end,
    /// reporting (articles done, articles in total) as it goes. A rebuild that is stopped leaves the old index in use.
    /// Throws <see cref="SearchIndexBusyException"/> while another rebuild runs.
    /// </summary>
    Task<int> RebuildAsync(NewsDbContext db, IProgress<(int Done, int Total)>? progress, CancellationToken ct);

    /// <summary>
    /// Builds the index when it is empty but articles exist (a database from before search, or a lost index), and
    /// drops what a stopped rebuild left. Costs a few lookups otherwise, so it can run at every start.
    /// </summary>
    Task EnsureBuiltAsync(NewsDbContext db, CancellationToken ct);

    /// <summary>
    /// The <see cref="Text.ChineseText.AnalyzerVersion"/> the index was built with (1 for an index from before the
    /// version was kept). An index of another version than the running one holds tokens its queries no longer write.
    /// </summary>
    Task<int> AnalyzerVersionAsync(NewsDbContext db, CancellationToken ct);

    /// <summary>
    /// Articles in the index and in the articles table. Every article is indexed (readers' visibility is decided at
    /// query time), so the two differ only when an index build was interrupted or the index was damaged.
    /// </summary>
    Task<SearchIndexCount> CountAsync(NewsDbContext db, CancellationToken ct);

    /// <summary>
    /// Indexes the articles the index lacks and removes the rows of articles that no longer exist, leaving the rest
    /// as it is: what a count difference (<see cref="CountAsync"/>) needs, far cheaper than a rebuild.
    /// </summary>
    Task<SearchIndexRepair> RepairAsync(NewsDbContext db, CancellationToken ct);

    /// <summary>One page of hits for <paramref name="request"/>, best first or newest first.</summary>
    Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct);
}

/// <summary>What <see cref="ISearchIndex.CountAsync"/> found.</summary>
public readonly record struct SearchIndexCount(int Indexed, int Articles)
{
    public bool Consistent => Indexed == Articles;
}

/// <summary>What <see cref="ISearchIndex.RepairAsync"/> did: articles indexed that were missing, rows of deleted articles removed.</summary>
public readonly record struct SearchIndexRepair(int Added, int Removed);

/// <summary>Another process is rebuilding the index; the message says which lock it holds.</summary>
public sealed class SearchIndexBusyException(string message) : InvalidOperationException(message);
