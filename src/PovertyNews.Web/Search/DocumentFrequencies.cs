using System.Collections.Concurrent;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search;

/// <summary>
/// Document frequencies of index tokens, each counted (up to the cap) at most once per interval. Counting walks the
/// token's posting list — up to the cap, 20,000 documents — which was a third of an uncached search's database time;
/// a common token (湘西, 扶贫) comes back in search after search, and its frequency barely moves in a minute, as the
/// document count it is set against (<see cref="Rechecked{T}"/>) does not either. Bounded: past
/// <c>capacity</c> tokens the stale entries go, and if none is stale, all of them.
/// </summary>
internal sealed class DocumentFrequencies(TimeSpan interval, int capacity = 10_000, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Token, bool Prefix, int Limit), (long Count, long ReadAt)> _entries = new();

    public async ValueTask<long> GetAsync(SearchTerm token, int limit, Func<CancellationToken, Task<long>> count, CancellationToken ct)
    {
        var key = (token.Text, token.LastIsPrefix, limit);
        if (_entries.TryGetValue(key, out var entry) && _time.GetElapsedTime(entry.ReadAt) < interval)
        {
            return entry.Count;
        }
        var value = await count(ct);
        if (_entries.Count >= capacity)
        {
            Trim();
        }
        _entries[key] = (value, _time.GetTimestamp());
        return value;
    }

    /// <summary>Tokens held now.</summary>
    public int Count => _entries.Count;

    private void Trim()
    {
        foreach (var (key, entry) in _entries)
        {
            if (_time.GetElapsedTime(entry.ReadAt) >= interval)
            {
                _entries.TryRemove(key, out _);
            }
        }
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
    }
}
