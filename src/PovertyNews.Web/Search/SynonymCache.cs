using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Search;

/// <summary>
/// This node's synonym table, read once and kept until a change: <see cref="SynonymAdmin"/> drops it here and, through
/// the cluster bus, on every other node (<see cref="Cluster.LocalCaches"/>). A search costs no query for it.
/// </summary>
public sealed class SynonymCache(ILogger<SynonymCache> logger)
{
    private volatile SynonymTable? _table;
    private int _generation;

    /// <summary>The next search reads the groups again.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _table = null;
    }

    public async Task<SynonymTable> GetAsync(NewsDbContext db, CancellationToken ct)
    {
        if (_table is { } table)
        {
            return table;
        }
        var generation = Volatile.Read(ref _generation);
        var groups = await db.SearchSynonyms.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Words).ToListAsync(ct);
        table = groups.Count == 0 ? SynonymTable.Empty : new SynonymTable(groups);
        // A table read while a change was being made is used for this search but not kept.
        if (Interlocked.CompareExchange(ref _generation, generation, generation) == generation)
        {
            _table = table;
            logger.LogDebug("Synonym table loaded: {Groups} groups, {Words} words", groups.Count, table.Count);
        }
        return table;
    }
}
