using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Caching;

namespace PovertyNews.Tests.Caching;

public class ConsistentOutputCacheStoreTests
{
    private sealed class RecordingStore : IOutputCacheStore
    {
        public List<string> Set { get; } = [];
        public List<string> Evicted { get; } = [];

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

        public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
        {
            Set.Add(key);
            return ValueTask.CompletedTask;
        }

        public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
        {
            Evicted.Add(tag);
            return ValueTask.CompletedTask;
        }
    }

    private readonly RecordingStore _inner = new();
    private readonly HttpContextAccessor _accessor = new() { HttpContext = new DefaultHttpContext() };
    private readonly ConsistentOutputCacheStore _store;

    public ConsistentOutputCacheStoreTests() => _store = new ConsistentOutputCacheStore(_inner, _accessor);

    /// <summary>Around the framework's own in-memory store, whose entries the door points into.</summary>
    private ConsistentOutputCacheStore AroundTheMemoryStore()
    {
        var memory = new ServiceCollection().AddOptions().AddOutputCache().BuildServiceProvider().GetRequiredService<IOutputCacheStore>();
        return new ConsistentOutputCacheStore(memory, _accessor);
    }

    [Fact]
    public async Task EntryAnsweredFrom_IsStillHeld_UntilItsTagIsEvicted()
    {
        var store = AroundTheMemoryStore();
        await store.SetAsync("GET /articles/7", [1, 2, 3], ["article-7"], TimeSpan.FromMinutes(1), default);
        await store.GetAsync("GET /articles/7", default);
        var answered = ConsistentOutputCacheStore.EntryOf(_accessor.HttpContext!)!;

        await store.EvictByTagAsync("article-8", default);
        Assert.True(store.StillHolds(answered.Key, answered.Entry, out var checkedAt));
        Assert.Equal(store.Generation, checkedAt);

        await store.EvictByTagAsync("article-7", default);
        Assert.False(store.StillHolds(answered.Key, answered.Entry, out _));
    }

    [Fact]
    public async Task EntryStoredAgainWithTheSameBytes_IsNotTheEntryAnsweredFrom()
    {
        var store = AroundTheMemoryStore();
        await store.SetAsync("GET /", [1, 2, 3], ["front"], TimeSpan.FromMinutes(1), default);
        var first = await store.GetAsync("GET /", default);

        await store.SetAsync("GET /", [1, 2, 3], ["front"], TimeSpan.FromMinutes(1), default);

        Assert.False(store.StillHolds("GET /", first!, out _));
        Assert.True(store.StillHolds("GET /", (await store.GetAsync("GET /", default))!, out _));
    }

    [Fact]
    public async Task PageRenderedBeforeAnEviction_IsNotStoredAfterIt()
    {
        _store.Stamp(_accessor.HttpContext!);

        await _store.EvictByTagAsync("article-7", default);
        await _store.SetAsync("GET /articles/7", [1, 2, 3], ["article-7"], TimeSpan.FromMinutes(1), default);

        Assert.Empty(_inner.Set);
        Assert.Equal(["article-7"], _inner.Evicted);
        Assert.Equal(1, _store.Skipped);
    }

    [Fact]
    public async Task PageStartedAfterTheEviction_IsStored()
    {
        await _store.EvictByTagAsync("article-7", default);
        _store.Stamp(_accessor.HttpContext!);

        await _store.SetAsync("GET /articles/7", [1, 2, 3], ["article-7"], TimeSpan.FromMinutes(1), default);

        Assert.Equal(["GET /articles/7"], _inner.Set);
        Assert.Equal(1, _store.Stored);
    }

    [Fact]
    public async Task EntryWithoutARequest_IsStored()
    {
        _accessor.HttpContext = null;

        await _store.SetAsync("key", [1], null, TimeSpan.FromMinutes(1), default);

        Assert.Equal(["key"], _inner.Set);
    }
}
