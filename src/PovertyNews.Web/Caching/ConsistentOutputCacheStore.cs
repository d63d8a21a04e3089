using Microsoft.AspNetCore.OutputCaching;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Wraps the output cache store so that a page rendered from data read before an eviction is never stored after it.
/// Without this, a reader whose render started just before an editor's save would put the old page back into the
/// cache right after the save evicted it, and it would stay there until the next change.
/// </summary>
/// <remarks>
/// Every eviction bumps a generation; each request notes the generation when it starts (<see cref="Stamp"/>), and
/// its answer is stored only if no eviction happened since. Storing and evicting take the same short lock, so a
/// store can't slip between an eviction's bump and its removal (the in-memory store does both synchronously).
/// Evictions reach <see cref="ReaderDataCache"/> here too.
/// Every lookup is counted as a hit or a miss (<see cref="ReaderCacheMetrics"/>): the output cache asks the store once
/// per cacheable request, so this is the cache's own view of how often it saved a render.
/// </remarks>
public sealed class ConsistentOutputCacheStore(IOutputCacheStore inner, IHttpContextAccessor http, ReaderCacheMetrics? metrics = null,
    ReaderDataCache? data = null)
    : IOutputCacheStore
{
    private static readonly object StampKey = new();
    private static readonly object HitKey = new();
    private readonly Lock _gate = new();
    private long _generation;
    private long _stored;
    private long _skipped;

    /// <summary>Answers put into the cache since start.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Answers not stored because an eviction happened while they were being made.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Bumped by every eviction: anything copied from the cache under an older generation may be stale.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Notes the current generation on the request; called before the output cache looks at it.</summary>
    public void Stamp(HttpContext context) => context.Items[StampKey] = Interlocked.Read(ref _generation);

    /// <summary>The generation noted on the request by <see cref="Stamp"/>, if any.</summary>
    public static long? StampOf(HttpContext context) => context.Items[StampKey] as long?;

    /// <summary>The entry the output cache answered this request from, and its key in the store, if it found one.</summary>
    public static StoredEntry? EntryOf(HttpContext context) => context.Items[HitKey] as StoredEntry;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await inner.GetAsync(key, cancellationToken);
        metrics?.Lookup(hit: entry is not null);
        if (entry is not null && http.HttpContext is { } context)
        {
            context.Items[HitKey] = new StoredEntry(key, entry);
        }
        return entry;
    }

    /// <summary>
    /// Whether the store still holds exactly this entry under its key, and the generation at which that was true.
    /// Checked under the evictions' lock, so no eviction is half done when it answers. An entry is never changed in
    /// place (a new answer is a new array), so the same array is the same page.
    /// </summary>
    public bool StillHolds(string key, byte[] entry, out long generation)
    {
        lock (_gate)
        {
            generation = _generation;
            var lookup = inner.GetAsync(key, CancellationToken.None);
            if (lookup.IsCompletedSuccessfully)
            {
                return ReferenceEquals(lookup.Result, entry);
            }
            // A store that answers later (not the in-memory one) can't be waited for under the lock: not known to hold.
            _ = lookup.AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            return false;
        }
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (http.HttpContext?.Items[StampKey] is long stamp && stamp != _generation)
            {
                Interlocked.Increment(ref _skipped);
                return ValueTask.CompletedTask;
            }
            Interlocked.Increment(ref _stored);
            return inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _generation++;
            // The data pages are built from goes with the pages, whatever announced the change.
            data?.Evict(tag);
            return inner.EvictByTagAsync(tag, cancellationToken);
        }
    }
}

/// <summary>An entry as the store gave it out, with the key it is stored under.</summary>
public sealed record StoredEntry(string Key, byte[] Entry);
