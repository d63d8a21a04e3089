using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>热点新闻 ranks reads of the last days, counted in memory and written in batches.</summary>
// Without the scheduled-publishing job: nothing here is scheduled, and a test moves the clock eight days.
public sealed class HotNewsTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<string>> HotNewsHrefsAsync() =>
        (await _factory.CreateReader().GetPageAsync("/")).QuerySelectorAll(".sidebar--hot a")
            .Select(a => a.GetAttribute("href")!).ToList();

    private async Task ReadAsync(int id, int times, string userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130")
    {
        var reader = _factory.CreateReader();
        for (var i = 0; i < times; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
            request.Headers.UserAgent.ParseAdd(userAgent);
            (await reader.SendAsync(request)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task MostReadArticle_RanksRightAfterThePins()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        var panda = await _factory.ArticleIdAsync("fenghuang-panda-park");
        await ReadAsync(bridge, 3);
        await ReadAsync(panda, 5);

        await _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync();
        var hrefs = await HotNewsHrefsAsync();

        Assert.Contains("jinan-xiangxi-delegation", hrefs[0]); // pinned
        Assert.Contains("fenghuang-panda-park", hrefs[1]);
        Assert.Contains("aizhai-bridge", hrefs[2]);
    }

    [Fact]
    public async Task Reads_AreWrittenInOneBatchNotPerRequest()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        await ReadAsync(bridge, 4);

        var before = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == bridge).Select(a => a.ViewCount).SingleAsync());
        var written = await _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync();
        var after = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == bridge).Select(a => a.ViewCount).SingleAsync());

        Assert.Equal(0, before);
        Assert.Equal(4, written);
        Assert.Equal(4, after);
    }

    [Fact]
    public async Task BotReads_AreNotCounted()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        await ReadAsync(bridge, 3, "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)");
        await ReadAsync(bridge, 2, "curl/8.5.0");

        Assert.Equal(0, await _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync());
    }

    [Fact]
    public async Task ReadsOlderThanSevenDays_NoLongerRank()
    {
        var panda = await _factory.ArticleIdAsync("fenghuang-panda-park");
        await ReadAsync(panda, 5);
        await _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync();

        _factory.Clock.Advance(TimeSpan.FromDays(8));
        _factory.Services.GetRequiredService<PortalCache>().Invalidate();
        var hrefs = await HotNewsHrefsAsync();

        Assert.DoesNotContain("fenghuang-panda-park", hrefs[1]);
    }

    [Fact]
    public async Task ExpiredPin_LeavesTheTopAtItsExpiry()
    {
        await _factory.WithDbAsync(async db =>
        {
            var pin = await db.Placements.SingleAsync(p => p.Article!.Slug == "jinan-xiangxi-delegation" && p.Block == CurationBlock.HotNews);
            pin.Until = _factory.Clock.GetUtcNow().UtcDateTime.AddHours(1);
            await db.SaveChangesAsync();
        });
        Assert.Contains("jinan-xiangxi-delegation", (await HotNewsHrefsAsync())[0]);

        _factory.Clock.Advance(TimeSpan.FromHours(2));

        Assert.DoesNotContain("jinan-xiangxi-delegation", (await HotNewsHrefsAsync())[0]);
    }
}
