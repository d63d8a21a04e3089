using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Data that many reader pages are built from (延伸阅读's candidate lists), kept in memory between renders and
/// evicted by the same tags as the output cache, so a page rendered without the output cache (a signed-in editor,
/// a crawler walking the archive, output caching switched off) is as fresh as a cached one.
/// </summary>
/// <remarks>
/// <para>
/// Evictions reach it through <see cref="ConsistentOutputCacheStore"/>, whatever made them: a save's interceptor,
/// a portal rebuild, another node's announcement. Each entry carries a change token per tag; evicting a tag cancels
/// its token. A value computed from data read before an eviction is not stored after it: every eviction bumps a
/// generation, and a value is stored only if the generation it started at is still current (the same rule as
/// <see cref="ConsistentOutputCacheStore"/>, for the same race).
/// </para>
/// <para>
/// Entries live at most <see cref="MaxAge"/>, a bound on staleness should a change ever reach the database without an
/// eviction (a statement no interceptor sees), and the cache holds at most <see cref="MaxEntries"/>.
/// </para>
/// </remarks>
public sealed class ReaderDataCache : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    public const int MaxEntries = 10_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries, CompactionPercentage = 0.25 });
    private readonly Dictionary<string, TagSource> _tags = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The cached value of <paramref name="key"/>, or the one <paramref name="load"/> reads, with the tags that evict it.</summary>
    public async Task<T> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<(T Value, IEnumerable<string> Tags)>> load, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var cached) && cached is T value)
        {
            Interlocked.Increment(ref _hits);
            return value;
        }
        Interlocked.Increment(ref _misses);
        var stamp = Interlocked.Read(ref _generation);
        var (loaded, tags) = await load(ct);
        lock (_gate)
        {
            if (stamp == _generation)
            {
                var options = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge };
                var held = new List<TagSource>();
                foreach (var tag in tags.Append(CacheTags.Reader).Distinct(StringComparer.Ordinal))
                {
                    if (!_tags.TryGetValue(tag, out var source))
                    {
                        _tags[tag] = source = new TagSource(tag);
                    }
                    source.Holders++;
                    held.Add(source);
                    options.ExpirationTokens.Add(new CancellationChangeToken(source.Token));
                }
                options.RegisterPostEvictionCallback(static (_, _, _, state) =>
                {
                    var (cache, sources) = ((ReaderDataCache, List<TagSource>))state!;
                    cache.Release(sources);
                }, (this, held));
                _entries.Set(key, loaded, options);
            }
        }
        return loaded;
    }

    /// <summary>Drops every entry carrying <paramref name="tag"/>; <see cref="CacheTags.Reader"/> drops them all.</summary>
    public void Evict(string tag)
    {
        TagSource? source;
        lock (_gate)
        {
            _generation++;
            if (!_tags.Remove(tag, out source))
            {
                return;
            }
        }
        source.Cancel();
    }

    /// <summary>
    /// An entry left (evicted, expired, replaced or compacted): a tag no entry holds any more loses its token, so the
    /// tags of articles long gone from every list don't pile up.
    /// </summary>
    private void Release(List<TagSource> sources)
    {
        lock (_gate)
        {
            foreach (var source in sources)
            {
                if (--source.Holders == 0 && _tags.TryGetValue(source.Tag, out var current) && current == source)
                {
                    _tags.Remove(source.Tag);
                    source.Dispose();
                }
            }
        }
    }

    /// <summary>Tags with a token at the moment (for tests: released tags must not pile up).</summary>
    internal int TagCount
    {
        get
        {
            lock (_gate)
            {
                return _tags.Count;
            }
        }
    }

    private sealed class TagSource(string tag) : CancellationTokenSource
    {
        public string Tag { get; } = tag;

        public int Holders { get; set; }
    }

    public void Dispose()
    {
        _entries.Dispose();
        lock (_gate)
        {
            foreach (var source in _tags.Values)
            {
                source.Dispose();
            }
            _tags.Clear();
        }
    }
}
