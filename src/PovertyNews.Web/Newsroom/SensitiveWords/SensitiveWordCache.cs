using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>
/// Holds the compiled list (<see cref="SensitiveWordList"/>) and builds it again only when the list has changed:
/// at once after <see cref="Invalidate"/> (every change made through this process calls it), and when the table's
/// stamp (row count, latest change) differs from the one the list was built from, which is how a change made by
/// another process running the same database shows. Only plain EF queries, so any provider will do.
/// </summary>
public sealed class SensitiveWordCache(ILogger<SensitiveWordCache> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Compiled? _current;
    private int _generation;

    private sealed record Compiled(SensitiveWordList List, Stamp Stamp, int Generation);

    private readonly record struct Stamp(int Count, DateTime? LastChange);

    /// <summary>Makes the next <see cref="GetAsync"/> build the list again.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The current list, compiled once per change.</summary>
    public async Task<SensitiveWordList> GetAsync(NewsDbContext db, CancellationToken ct)
    {
        var stamp = await StampAsync(db, ct);
        if (IsCurrent(_current, stamp) is { } fresh)
        {
            return fresh;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (IsCurrent(_current, stamp) is { } built)
            {
                return built; // another request built it while this one waited
            }
            var generation = Volatile.Read(ref _generation);
            var started = Stopwatch.GetTimestamp();
            var rows = await db.SensitiveWords.AsNoTracking()
                .Select(w => new SensitiveWordEntry(w.Id, w.Word, w.NormalizedWord, w.Action))
                .ToListAsync(ct);
            var list = rows.Count == 0 ? SensitiveWordList.Empty : new SensitiveWordList(rows);
            _current = new Compiled(list, stamp, generation);
            logger.LogInformation("Sensitive-word list compiled: {WordCount} words in {ElapsedMs:0.0} ms",
                list.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    private SensitiveWordList? IsCurrent(Compiled? compiled, Stamp stamp) =>
        compiled is not null && compiled.Stamp == stamp && compiled.Generation == Volatile.Read(ref _generation) ? compiled.List : null;

    private static async Task<Stamp> StampAsync(NewsDbContext db, CancellationToken ct)
    {
        var words = db.SensitiveWords.AsNoTracking();
        var count = await words.CountAsync(ct);
        return new Stamp(count, count == 0 ? null : await words.MaxAsync(w => (DateTime?)w.UpdatedAt, ct));
    }
}
