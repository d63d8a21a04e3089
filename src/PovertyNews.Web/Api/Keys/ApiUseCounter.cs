using System.Collections.Concurrent;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Api.Keys;

/// <summary>
/// Requests answered per key, counted in memory (a write per request would cost more than the cached answer) and
/// written in batches by <see cref="ApiUseFlushService"/>, like the reading counts.
/// </summary>
public sealed class ApiUseCounter(TimeProvider time)
{
    private ConcurrentDictionary<(int KeyId, DateOnly Day), long> _counts = new();
    private ConcurrentDictionary<int, DateTime> _lastUsed = new();

    public void Count(int keyId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        _counts.AddOrUpdate((keyId, ChinaTime.Today(now)), 1, (_, n) => n + 1);
        _lastUsed.AddOrUpdate(keyId, now, (_, was) => was > now ? was : now);
    }

    /// <summary>Takes what was counted so far; counting goes on into fresh tables.</summary>
    public (IReadOnlyDictionary<(int KeyId, DateOnly Day), long> Counts, IReadOnlyDictionary<int, DateTime> LastUsed) Drain() =>
        (Interlocked.Exchange(ref _counts, new()), Interlocked.Exchange(ref _lastUsed, new()));

    /// <summary>Puts back counts a failed write did not store, so they go out with the next flush.</summary>
    public void Restore(IReadOnlyDictionary<(int KeyId, DateOnly Day), long> counts, IReadOnlyDictionary<int, DateTime> lastUsed)
    {
        foreach (var (key, n) in counts)
        {
            _counts.AddOrUpdate(key, n, (_, m) => m + n);
        }
        foreach (var (id, at) in lastUsed)
        {
            _lastUsed.AddOrUpdate(id, at, (_, was) => was > at ? was : at);
        }
    }
}
