using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>Channel, tag, archive and video listings, with pagination and a bounded number of queries.</summary>
public sealed class ListingTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> AddChannelWithArticlesAsync(string slug, int count)
    {
        return await _factory.WithDbAsync(async db =>
        {
            var channel = new Channel { Slug = slug, Name = $"测试栏目{slug}", SortOrder = 100 };
            db.Channels.Add(channel);
            await db.SaveChangesAsync();
            var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < count; i++)
            {
                var article = new ArticleBuilder(channel.Id, $"分页测试{i:D3}").PublishedAt(start.AddHours(i)).Build();
                article.Tags.Add(await db.Tags.FirstAsync(t => t.Name == "湘西"));
                db.Articles.Add(article);
            }
            await db.SaveChangesAsync();
            return channel.Id;
        });
    }

    [Fact]
    public async Task ChannelWith45Articles_PagesThroughThreePages()
    {
        await AddChannelWithArticlesAsync("paging", 45);
        var reader = _factory.CreateReader();

        var first = await reader.GetPageAsync("/channels/paging");
        var third = await reader.GetPageAsync("/channels/paging?page=3");

        Assert.Equal(20, first.QuerySelectorAll(".article-list__item").Length);
        Assert.Equal("分页测试044", first.QuerySelector(".article-list__title").Text());
        Assert.Equal("/channels/paging?page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(5, third.QuerySelectorAll(".article-list__item").Length);
        Assert.Null(third.QuerySelector(".pager a[rel=next]"));
        await reader.GetPageAsync("/channels/paging?page=4", 404);
    }

    [Fact]
    public async Task ParentChannel_ListsItsSubChannelsArticles()
    {
        var page = await _factory.CreateReader().GetPageAsync("/channels/tuopin");

        var titles = page.QuerySelectorAll(".article-list__title").Select(t => t.Text()).ToList();
        Assert.Contains(titles, t => t.Contains("十八洞村"));
        Assert.Contains(titles, t => t.Contains("培训"));
        Assert.Equal(2, page.QuerySelectorAll(".subchannels a").Length);
    }

    [Fact]
    public async Task EmptyChannel_ShowsAnEmptyState()
    {
        await AddChannelWithArticlesAsync("empty", 0);

        var page = await _factory.CreateReader().GetPageAsync("/channels/empty");

        Assert.Equal("这里还没有文章。", page.QuerySelector(".empty").Text());
    }

    [Fact]
    public async Task ChannelPage_IssuesTheSameNumberOfQueriesForFiveOrSixtyArticles()
    {
        await AddChannelWithArticlesAsync("few", 5);
        await AddChannelWithArticlesAsync("many", 60);
        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/"); // warm the portal snapshot (a second request of the same page is an output cache hit)

        _factory.Commands.Reset();
        await reader.GetPageAsync("/channels/few");
        var few = _factory.Commands.Count;
        _factory.Commands.Reset();
        await reader.GetPageAsync("/channels/many");
        var many = _factory.Commands.Count;

        Assert.Equal(few, many);
        Assert.InRange(many, 1, 5);
    }

    [Fact]
    public async Task FrontPage_RendersFromThePortalSnapshot_WithNoQueriesOfItsOwnWhateverTheChannelCount()
    {
        var reader = _factory.CreateReader();
        for (var i = 0; i < 5; i++)
        {
            await AddChannelWithArticlesAsync($"extra{i}", 8);
        }
        // The snapshot (navigation, sidebars and the front page's blocks) is rebuilt once, by another page.
        await reader.GetPageAsync("/archive");
        _factory.Commands.Reset();
        var page = await reader.GetPageAsync("/");

        Assert.Equal(0, _factory.Commands.Count);
        Assert.Contains(page.QuerySelectorAll(".channel-block .section-title"), t => t.Text() == "测试栏目extra4");
    }

    [Fact]
    public async Task TagPage_ListsTaggedArticles()
    {
        var page = await _factory.CreateReader().GetPageAsync("/tags/" + Uri.EscapeDataString("猕猴桃"));

        Assert.Equal("标签：猕猴桃", page.QuerySelector("h1").Text());
        Assert.Contains(page.QuerySelectorAll(".article-list__title"), t => t.Text().Contains("猕猴桃") || t.Text().Contains("周生堂"));
    }

    [Fact]
    public async Task Archive_CountsPerMonthInChinaStandardTime()
    {
        // 2021-06-30 20:00 UTC is already 1 July in Beijing.
        await _factory.WithDbAsync(async db =>
        {
            var channelId = (await db.Channels.FirstAsync()).Id;
            db.Articles.Add(new ArticleBuilder(channelId, "月末夜间报道").PublishedAt(new DateTime(2021, 6, 30, 20, 0, 0, DateTimeKind.Utc)).Build());
            await db.SaveChangesAsync();
        });
        var reader = _factory.CreateReader();

        var year = await reader.GetPageAsync("/archive/2021");
        var july = await reader.GetPageAsync("/archive/2021/7");
        var june2020 = await reader.GetPageAsync("/archive/2020/6");

        Assert.Contains(year.QuerySelectorAll(".archive__months li"), li => li.Text().StartsWith("7月") && li.Text().Contains("1 篇"));
        Assert.DoesNotContain(year.QuerySelectorAll(".archive__months li"), li => li.Text().StartsWith("6月"));
        Assert.Equal("2021-07-01", july.QuerySelector(".archive__day").Text());
        Assert.Equal(14, june2020.QuerySelectorAll(".archive__list li").Length);
    }

    [Fact]
    public async Task VideosPage_ListsOnlyVideos()
    {
        var page = await _factory.CreateReader().GetPageAsync("/videos");

        var titles = page.QuerySelectorAll(".video-grid__title").Select(t => t.Text()).ToList();
        Assert.Equal(2, titles.Count);
        Assert.All(titles, t => Assert.StartsWith("视频", t));
    }

    [Fact]
    public async Task ScheduledArticle_AppearsWhenItsTimeComes()
    {
        var due = _factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(30);
        var article = await _factory.WithDbAsync(async db =>
        {
            var a = new ArticleBuilder((await db.Channels.FirstAsync(c => c.Slug == "xiezuo")).Id, "定时发布的报道").PublishedAt(due).Build();
            db.Articles.Add(a);
            await db.SaveChangesAsync();
            return a;
        });
        var reader = _factory.CreateReader();

        await reader.GetPageAsync($"/articles/{article.Id}", 404);
        Assert.DoesNotContain("定时发布的报道", (await reader.GetPageAsync("/")).Body!.TextContent);

        _factory.Clock.Advance(TimeSpan.FromMinutes(31));

        await reader.GetPageAsync($"/articles/{article.Id}");
        var front = await reader.GetPageAsync("/");
        Assert.Contains(front.QuerySelectorAll(".latest a"), a => a.Text() == "定时发布的报道");
        Assert.Contains(front.QuerySelectorAll(".sidebar--hot a"), a => a.Text() == "定时发布的报道");
    }
}
