using PovertyNews.Web.Caching;

namespace PovertyNews.Tests.Caching;

public sealed class ReaderDataCacheTests : IDisposable
{
    private readonly ReaderDataCache _cache = new();
    private int _loads;

    public void Dispose() => _cache.Dispose();

    private Task<string> GetAsync(string key, string value, params string[] tags) =>
        _cache.GetOrLoadAsync(key, _ =>
        {
            _loads++;
            return Task.FromResult((value, (IEnumerable<string>)tags));
        }, CancellationToken.None);

    [Fact]
    public async Task SecondRead_ComesFromMemory_WithoutLoading()
    {
        Assert.Equal("a", await GetAsync("list:1", "a", "channel-1"));
        Assert.Equal("a", await GetAsync("list:1", "changed", "channel-1"));

        Assert.Equal(1, _loads);
        Assert.Equal(1, _cache.Hits);
    }

    [Fact]
    public async Task EvictedTag_LoadsAgain_WhileAnotherTagsEntryStays()
    {
        await GetAsync("list:1", "a", "channel-1", "article-7");
        await GetAsync("list:2", "b", "channel-2");

        _cache.Evict("article-7");

        Assert.Equal("a2", await GetAsync("list:1", "a2", "channel-1", "article-7"));
        Assert.Equal("b", await GetAsync("list:2", "b2", "channel-2"));
    }

    [Fact]
    public async Task ReaderTag_EvictsEverything()
    {
        await GetAsync("list:1", "a", "channel-1");
        await GetAsync("list:2", "b", "channel-2");

        _cache.Evict(CacheTags.Reader);

        Assert.Equal("a2", await GetAsync("list:1", "a2", "channel-1"));
        Assert.Equal("b2", await GetAsync("list:2", "b2", "channel-2"));
    }

    [Fact]
    public async Task ValueReadBeforeAnEviction_IsNotStoredAfterIt()
    {
        var reading = new TaskCompletionSource();
        var evicted = new TaskCompletionSource();
        var load = _cache.GetOrLoadAsync("list:1", async _ =>
        {
            reading.SetResult();
            await evicted.Task;
            return ("stale", (IEnumerable<string>)["channel-1"]);
        }, CancellationToken.None);
        await reading.Task;
        _cache.Evict("channel-1");
        evicted.SetResult();

        Assert.Equal("stale", await load);
        Assert.Equal("fresh", await GetAsync("list:1", "fresh", "channel-1"));
    }

    [Fact]
    public async Task TagsOfEvictedEntries_DoNotPileUp()
    {
        for (var i = 0; i < 50; i++)
        {
            await GetAsync($"list:{i}", "a", $"article-{i}", "channel-1");
        }
        Assert.Equal(52, _cache.TagCount); // 50 articles, the channel and the reader tag

        _cache.Evict("channel-1");

        // Post-eviction callbacks run on the thread pool.
        for (var wait = 0; wait < 200 && _cache.TagCount > 0; wait++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(0, _cache.TagCount);
    }
}
