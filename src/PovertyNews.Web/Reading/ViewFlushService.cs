using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>Writes buffered view counts every <see cref="ReadingOptions.ViewFlushInterval"/> and once more at shutdown.</summary>
public sealed class ViewFlushService(
    ViewCounter counter,
    IServiceScopeFactory scopes,
    PortalCache portal,
    TimeProvider time,
    IOptions<ReadingOptions> options,
    ILogger<ViewFlushService> logger,
    ReadingMetrics metrics) : BufferFlushService(time)
{
    protected override TimeSpan Interval => options.Value.ViewFlushInterval;

    protected override Task WriteBufferAsync(CancellationToken ct) => FlushAsync(ct);

    protected override void OnFlushFailed(Exception e)
    {
        // Logged with the counts by FlushAsync; the timer goes on.
        logger.LogDebug(e, "View count flush failed");
    }

    // One flush at a time: a flush asked for while the timer's runs (a test, the shutdown) waits for it to commit,
    // so what was counted before the call is in the database when it returns. Flushes of other nodes are not held
    // back by this: the upserts in WriteAsync add up whatever runs beside them.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Writes what has been counted; returns the number of reads written.</summary>
    public async Task<long> FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            return await FlushOnceAsync(ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<long> FlushOnceAsync(CancellationToken ct)
    {
        var counts = counter.Drain();
        var sources = counter.DrainSources();
        if (counts.Count == 0 && sources.Count == 0)
        {
            return 0;
        }
        long total;
        try
        {
            total = await WriteAsync(counts, sources, ct);
        }
        catch (Exception e)
        {
            // Nothing was committed (one transaction): the reads go back for the next flush instead of being lost.
            var dropped = counter.Restore(counts);
            counter.RestoreSources(sources);
            logger.LogError(e, "Writing {Views} buffered reads of {Articles} articles failed; kept for the next flush ({Dropped} reads dropped over the limit of {Limit} articles)",
                counts.Values.Sum(), counts.Count, dropped, ViewCounter.MaxHeldArticles);
            throw;
        }
        // Reads only reorder 热点新闻: rebuilt without making readers wait.
        await portal.RefreshAsync(ct);
        return total;
    }

    private async Task<long> WriteAsync(IReadOnlyDictionary<int, long> counts, IReadOnlyDictionary<ViewCounter.ArticleSource, long> sources,
        CancellationToken ct)
    {
        var day = ChinaTime.Today(Clock.GetUtcNow().UtcDateTime);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var ids = counts.Keys.Union(sources.Keys.Select(k => k.ArticleId)).ToList();
        var existingIds = await db.Articles.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);

        // One atomic upsert per article rather than read, add, save: several nodes flush into the same rows, and a
        // read-modify-write would lose one node's reads (or race two inserts of the day's row into a key violation).
        // Ascending ids: two nodes' transactions lock the rows in the same order, so PostgreSQL never deadlocks them.
        existingIds.Sort();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var existing = existingIds.ToHashSet();
        foreach (var id in existingIds.Where(counts.ContainsKey))
        {
            var n = counts[id];
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ArticleDailyViews" ("ArticleId", "Day", "Views") VALUES ({id}, {day}, {n})
                ON CONFLICT ("ArticleId", "Day") DO UPDATE SET "Views" = "ArticleDailyViews"."Views" + excluded."Views"
                """, ct);
            await db.Articles.Where(a => a.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ViewCount, a => a.ViewCount + n), ct);
        }
        // Same order rule as above (article, then host), and the same additive upsert.
        foreach (var ((id, host), n) in sources.Where(s => existing.Contains(s.Key.ArticleId))
                     .OrderBy(s => s.Key.ArticleId).ThenBy(s => s.Key.Host, StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ArticleDailyReferrers" ("ArticleId", "Day", "Host", "Views") VALUES ({id}, {day}, {host}, {n})
                ON CONFLICT ("ArticleId", "Day", "Host") DO UPDATE SET "Views" = "ArticleDailyReferrers"."Views" + excluded."Views"
                """, ct);
        }
        await transaction.CommitAsync(ct);

        var total = existingIds.Where(counts.ContainsKey).Sum(id => counts[id]);
        logger.LogInformation("Wrote {Views} reads of {Articles} articles for {Day}", total, existingIds.Count, day);
        metrics.Flushed(total, existingIds.Count);
        return total;
    }
}
