using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    /// <summary>Reads by <paramref name="times"/> different browsers on the test's address: each counts once.</summary>
    private async Task ReadAsync(int id, int times, string userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130")
    {
        for (var i = 0; i < times; i++)
        {
            await ReadOnceAsync(id, $"{userAgent} Reader/{i}");
        }
    }

    private async Task ReadOnceAsync(int id, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
        request.Headers.UserAgent.ParseAdd(userAgent);
        (await _factory.CreateReader().SendAsync(request)).EnsureSuccessStatusCode();
    }

    private Task<long> FlushAsync() => _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync();

    [Fact]
    public async Task RepeatedReadsFromOneClient_CountOncePerWindow()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        for (var i = 0; i < 50; i++)
        {
            await ReadOnceAsync(bridge, "Mozilla/5.0 (X11; Linux x86_64) Chrome/130");
        }

        Assert.Equal(1, await FlushAsync());
    }

    [Fact]
    public async Task SameClient_CountsAgain_InANewWindow()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        _factory.Clock.Advance(TimeSpan.FromMinutes(29));
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        // Moving the clock also lets the periodic flush run, so the test reads what reached the database.
        await FlushAsync();
        Assert.Equal(1, await ViewCountAsync(bridge));

        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        await FlushAsync();

        Assert.Equal(2, await ViewCountAsync(bridge));
    }

    private Task<long> ViewCountAsync(int id) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ViewCount).SingleAsync());

    [Fact]
    public async Task DifferentClients_AndDifferentArticles_CountSeparately()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        var panda = await _factory.ArticleIdAsync("fenghuang-panda-park");
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");
        await ReadOnceAsync(bridge, "Mozilla/5.0 Firefox/133");
        await ReadOnceAsync(panda, "Mozilla/5.0 Chrome/130");
        _factory.UseNewClientAddress();
        await ReadOnceAsync(bridge, "Mozilla/5.0 Chrome/130");

        Assert.Equal(4, await FlushAsync());
    }

    [Fact]
    public async Task OneSource_AddsAtMostItsCapPerWindow_HoweverManyBrowsersItClaims()
    {
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        var cap = _factory.Services.GetRequiredService<IOptions<ReadingOptions>>().Value.MaxReadsPerSource;

        await ReadAsync(bridge, cap + 30);

        Assert.Equal(cap, await FlushAsync());
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
