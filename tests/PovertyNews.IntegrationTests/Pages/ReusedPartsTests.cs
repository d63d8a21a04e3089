using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>Output caching off: every article page is rendered, and 延伸阅读 comes from the lists kept between pages.</summary>
public sealed class UncachedReaderApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:OutputCache:Enabled", "false"));

/// <summary>
/// Parts reused across pages — 延伸阅读's lists (read once per channel or tag), the sidebars' and navigation's HTML
/// (rendered once per portal snapshot) — change on the next request of every page that shows them after a change
/// that affects them. Output caching is off here, so these are the only things kept between requests.
/// </summary>
public sealed class ReusedPartsTests(UncachedReaderApp shared) : IClassFixture<UncachedReaderApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly HttpClient _reader = shared.Factory.CreateClient();
    private static readonly HtmlParser Parser = new();

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync()
    {
        _reader.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<string>> RelatedAsync(int articleId)
    {
        using var response = await _reader.GetAsync($"/articles/{articleId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return page.QuerySelectorAll(".related__list a").Select(a => a.TextContent.Trim() + " " + a.GetAttribute("href")).ToList();
    }

    private Task<int> IdAsync(string slug) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync());

    private Task<ArticleStatus> StatusAsync(int id) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());

    private Task<int> ChannelAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    /// <summary>A save through EF Core alone, as the newsroom's services make them: the interceptor evicts.</summary>
    private async Task SaveAsync(Func<NewsDbContext, Task> change)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A report in the channel with every tag of the two neighbours the tests read, so it shares the most tags with
    /// each and, being the newest, leads their 延伸阅读.
    /// </summary>
    private async Task<Article> PublishInAsync(string channel, string title, DateTime? at = null)
    {
        var article = new ArticleBuilder(await ChannelAsync(channel), title).PublishedAt(at ?? DateTime.UtcNow.AddMinutes(-1)).Build();
        await SaveAsync(async db =>
        {
            article.Tags.AddRange(await db.Tags.Where(t => t.Articles.Any(a => a.Slug == "jinan-xiangxi-delegation" || a.Slug == "joint-meeting-signing"))
                .ToListAsync());
            db.Articles.Add(article);
        });
        return article;
    }

    [Fact]
    public async Task SecondPageOfTheChannel_ReadsNoListAgain()
    {
        var page = await IdAsync("jinan-xiangxi-delegation");
        await RelatedAsync(page);
        var cache = _factory.Services.GetRequiredService<ReaderDataCache>();
        var misses = cache.Misses;

        var again = await RelatedAsync(page);

        Assert.NotEmpty(again);
        Assert.Equal(misses, cache.Misses);
    }

    [Fact]
    public async Task NewReportInTheChannel_ShowsInItsNeighboursRelatedReading_OnTheNextRequest()
    {
        var neighbour = await IdAsync("jinan-xiangxi-delegation");
        Assert.DoesNotContain(await RelatedAsync(neighbour), r => r.Contains("新发布的协作报道"));

        var added = await PublishInAsync("xiezuo", "新发布的协作报道");

        Assert.Contains(await RelatedAsync(neighbour), r => r.Contains($"/articles/{added.Id}/"));
    }

    [Fact]
    public async Task RetitledReportInAList_ShowsItsNewTitle_OnEveryPageThatListsIt()
    {
        var added = await PublishInAsync("xiezuo", "改题前的协作报道");
        var first = await IdAsync("jinan-xiangxi-delegation");
        var second = await IdAsync("joint-meeting-signing");
        Assert.Contains(await RelatedAsync(first), r => r.Contains("改题前的协作报道"));
        Assert.Contains(await RelatedAsync(second), r => r.Contains("改题前的协作报道"));

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == added.Id)).Title = "改题后的协作报道");

        Assert.Contains(await RelatedAsync(first), r => r.Contains("改题后的协作报道"));
        Assert.Contains(await RelatedAsync(second), r => r.Contains("改题后的协作报道"));
        Assert.DoesNotContain(await RelatedAsync(second), r => r.Contains("改题前的协作报道"));
    }

    [Fact]
    public async Task WithdrawnReport_LeavesTheLists_OnTheNextRequest()
    {
        var added = await PublishInAsync("xiezuo", "将被撤回的协作报道");
        var neighbour = await IdAsync("jinan-xiangxi-delegation");
        Assert.Contains(await RelatedAsync(neighbour), r => r.Contains("将被撤回的协作报道"));

        await SaveAsync(async db => (await db.Articles.SingleAsync(a => a.Id == added.Id)).Withdraw());

        Assert.DoesNotContain(await RelatedAsync(neighbour), r => r.Contains("将被撤回的协作报道"));
    }

    [Fact]
    public async Task ScheduledReport_JoinsTheListsAtItsTime_WithoutAnySaveThen()
    {
        var neighbour = await IdAsync("jinan-xiangxi-delegation");
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        await RelatedAsync(neighbour);
        var scheduled = await PublishInAsync("xiezuo", "定时发布的协作报道", now.AddMinutes(30));
        Assert.DoesNotContain(await RelatedAsync(neighbour), r => r.Contains("定时发布的协作报道"));

        _factory.Clock.Advance(TimeSpan.FromMinutes(31));
        // 延伸阅读 lists published articles: a scheduled one joins them when the scheduler marks it published (its
        // own page and the listings show it at its minute). That save evicts the lists; wait for it, not for time.
        for (var waited = 0; await StatusAsync(scheduled.Id) != ArticleStatus.Published; waited++)
        {
            Assert.True(waited < 300, "the scheduler did not publish the article within 30 s");
            await Task.Delay(100);
        }

        Assert.Contains(await RelatedAsync(neighbour), r => r.Contains($"/articles/{scheduled.Id}/"));
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(string url)
    {
        using var response = await _reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pinned热点新闻_ShowsInTheSidebarOfEveryPage_OnTheNextRequest()
    {
        var id = await IdAsync("vocational-school-training");
        var pages = new[] { "/", "/channels/xiaozhen", $"/articles/{await IdAsync("jinan-xiangxi-delegation")}" };
        foreach (var url in pages)
        {
            Assert.NotEqual($"/articles/{id}/vocational-school-training", (await PageAsync(url)).QuerySelector(".sidebar--hot a")?.GetAttribute("href"));
        }

        await SaveAsync(db =>
        {
            db.Placements.Add(new Placement { Block = CurationBlock.HotNews, ArticleId = id, Position = 0 });
            return Task.CompletedTask;
        });

        foreach (var url in pages)
        {
            Assert.Equal($"/articles/{id}/vocational-school-training", (await PageAsync(url)).QuerySelector(".sidebar--hot a")?.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task RenamedChannel_ShowsInTheNavigationOfEveryPage_WithTheCurrentChannelStillMarked()
    {
        Assert.Equal("东西部协作", (await PageAsync("/channels/xiezuo")).QuerySelector(".site-nav [aria-current=page]")?.TextContent);
        await PageAsync("/");

        await SaveAsync(async db => (await db.Channels.SingleAsync(c => c.Slug == "yuqing")).Name = "舆情观察");

        Assert.Contains("舆情观察", (await PageAsync("/")).QuerySelector(".site-nav")!.TextContent);
        var channel = await PageAsync("/channels/xiezuo");
        Assert.Contains("舆情观察", channel.QuerySelector(".site-nav")!.TextContent);
        Assert.Equal("东西部协作", channel.QuerySelector(".site-nav [aria-current=page]")?.TextContent);
        Assert.Equal("首页", (await PageAsync("/")).QuerySelector(".site-nav [aria-current=page]")?.TextContent);
    }
}
