using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The numbered pager with 首页/尾页 and a page jump, and 上一篇/下一篇 within the article's channel.</summary>
public sealed class NavigationTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A channel of <paramref name="count"/> reports an hour apart, oldest first; their ids in that order.</summary>
    private async Task<List<int>> ChannelAsync(string slug, int count) =>
        await _factory.WithDbAsync(async db =>
        {
            var channel = new Channel { Slug = slug, Name = $"导航{slug}", SortOrder = 100 };
            db.Channels.Add(channel);
            await db.SaveChangesAsync();
            var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
            var articles = Enumerable.Range(0, count)
                .Select(i => new ArticleBuilder(channel.Id, $"导航测试{i:D3}").PublishedAt(start.AddHours(i)).Build()).ToList();
            db.Articles.AddRange(articles);
            await db.SaveChangesAsync();
            return articles.Select(a => a.Id).ToList();
        });

    private static string Pages(AngleSharp.Html.Dom.IHtmlDocument page) =>
        string.Join(" ", page.QuerySelectorAll(".pager__pages li").Select(li => li.Text().Trim()));

    [Fact]
    public async Task Pager_NumbersAroundTheCurrentPage_WithFirstLastAndAJumpThatKeepsTheQuery()
    {
        await ChannelAsync("nav-pager", 200); // 10 pages of 20
        var reader = _factory.CreateReader();

        var sixth = await reader.GetPageAsync("/channels/nav-pager?page=6");

        Assert.Equal("第 6 页 / 共 10 页（200 篇）", sixth.QuerySelector(".pager span").Text());
        Assert.Equal("1 … 4 5 6 7 8 9 10", Pages(sixth));
        Assert.Equal("6", sixth.QuerySelector(".pager [aria-current=page]")!.Text());
        Assert.Equal("/channels/nav-pager", sixth.QuerySelector(".pager a.pager__end")!.GetAttribute("href"));
        Assert.Equal("/channels/nav-pager?page=10", sixth.QuerySelectorAll(".pager a.pager__end").Last().GetAttribute("href"));
        Assert.Equal("/channels/nav-pager?page=5", sixth.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        var jump = sixth.QuerySelector("form.pager__jump")!;
        Assert.Equal("/channels/nav-pager", jump.GetAttribute("action"));
        Assert.Equal("10", jump.QuerySelector("input[name=page]")!.GetAttribute("max"));

        // The jump form's GET lands on the page it names.
        var eighth = await reader.GetPageAsync("/channels/nav-pager?page=8");
        Assert.Equal("第 8 页 / 共 10 页（200 篇）", eighth.QuerySelector(".pager span").Text());
        var first = await reader.GetPageAsync("/channels/nav-pager");
        Assert.Null(first.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal("/channels/nav-pager?page=10", Assert.Single(first.QuerySelectorAll(".pager a.pager__end")).GetAttribute("href"));
        Assert.Equal("1 2 3 … 10", Pages(first));
    }

    [Fact]
    public async Task SearchPager_JumpFormCarriesTheQuery()
    {
        await ChannelAsync("nav-search", 200);
        var page = await _factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString("导航测试"));

        var jump = page.QuerySelector("form.pager__jump");
        Assert.NotNull(jump);
        Assert.Equal("/search", jump.GetAttribute("action"));
        Assert.Equal("导航测试", jump.QuerySelector("input[type=hidden][name=q]")!.GetAttribute("value"));
        Assert.Null(jump.QuerySelector("input[type=hidden][name=page]"));
    }

    private static (string? Older, string? Newer) Neighbours(AngleSharp.Html.Dom.IHtmlDocument page) =>
        (page.QuerySelector(".neighbours a[rel=prev]")?.GetAttribute("href"), page.QuerySelector(".neighbours a[rel=next]")?.GetAttribute("href"));

    [Fact]
    public async Task PreviousAndNext_FollowTheChannelsOrder_InsideAndBeyondItsNewestList_AndEndWithNothing()
    {
        var ids = await ChannelAsync("nav-nb", 30);
        var reader = _factory.CreateReader();
        string Url(int i) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == ids[i]).Select(a => a.Slug).SingleAsync()).Result is var slug
            ? $"/articles/{ids[i]}/{slug}" : "";

        // The newest (no 下一篇), one inside the newest list, one at its edge, an old one, the oldest (no 上一篇).
        foreach (var i in new[] { 29, 25, 17, 16, 5, 0 })
        {
            var page = await reader.GetPageAsync($"/articles/{ids[i]}");
            var (older, newer) = Neighbours(page);
            Assert.Equal(i > 0 ? Url(i - 1) : null, older);
            Assert.Equal(i < 29 ? Url(i + 1) : null, newer);
        }
        var newest = await reader.GetPageAsync($"/articles/{ids[29]}");
        Assert.Contains("下一篇：没有了", newest.QuerySelector(".neighbours")!.Text());
    }

    /// <summary>
    /// Both neighbours must seek the channel's index by published time. With only the keyset's OR, PostgreSQL read
    /// the channel's index from its newest report down to this one, each row from the table: 390 ms for a 2017 report
    /// at 300,000 articles, 0.2 ms with the plain bound (SQLite 3.4x derives that bound from the OR by itself).
    /// </summary>
    [Fact]
    public async Task NeighboursOfAnOldReport_SeekTheChannelIndexByPublishedTime()
    {
        var ids = await ChannelAsync("nav-plan", 30);
        var reader = _factory.CreateReader();
        _factory.Commands.Reset();

        var page = await reader.GetPageAsync($"/articles/{ids[5]}");

        Assert.NotNull(page.QuerySelector(".neighbours a[rel=prev]"));
        // On SQLite the page runs the prepared statement (SqliteStatements), which EF Core does not see: its SQL, with
        // the values the page binds, is what SQLite is asked to plan.
        var neighbours = _factory.Provider == DatabaseProvider.Sqlite
            ? await _factory.WithDbAsync(async db =>
            {
                var article = await db.Articles.Where(a => a.Id == ids[5]).Select(a => new { a.ChannelId, a.PublishedAt }).SingleAsync();
                return new RecordedCommand(ChannelNeighbours.Prepared.Sql,
                    [("$channel", article.ChannelId), ("$published", article.PublishedAt), ("$id", ids[5]), ("$now", _factory.Clock.GetUtcNow().UtcDateTime)]);
            })
            : Assert.Single(_factory.Commands.Recent,
                c => c.Sql.Contains("UNION ALL", StringComparison.Ordinal) && c.Sql.Contains("@publishedAt", StringComparison.Ordinal));
        var plan = await _factory.ExplainAsync(neighbours);
        // The conditions each side seeks the articles with (the channel's index, or the status index on PostgreSQL's
        // small test tables); the channel join seeks by its key.
        var seeks = plan.Where(line => line.Contains("Status", StringComparison.Ordinal)
            && (line.Contains("Index Cond", StringComparison.Ordinal) || line.Contains("USING INDEX", StringComparison.Ordinal))).ToList();
        Assert.True(seeks.Count == 2, string.Join(Environment.NewLine, plan));
        Assert.All(seeks, line => Assert.Contains("PublishedAt", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviousAndNext_SkipWithdrawnAndOtherChannels_AndANewReportEvictsTheOldNewest()
    {
        var ids = await ChannelAsync("nav-skip", 3);
        await ChannelAsync("nav-other", 3);
        await _factory.WithDbAsync(async db =>
        {
            var middle = await db.Articles.Include(a => a.Placements).SingleAsync(a => a.Id == ids[1]);
            middle.Withdraw();
            await db.SaveChangesAsync();
        });
        var reader = _factory.CreateReader();

        var last = await reader.GetPageAsync($"/articles/{ids[2]}");
        Assert.StartsWith($"/articles/{ids[0]}/", Neighbours(last).Older);
        Assert.Null(Neighbours(last).Newer);

        // A report published in the channel evicts the cached page of the one that was newest.
        var channelId = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == ids[2]).Select(a => a.ChannelId).SingleAsync());
        var added = await _factory.WithDbAsync(async db =>
        {
            var article = new ArticleBuilder(channelId, "导航测试新稿").PublishedAt(new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
        Assert.StartsWith($"/articles/{added}/", Neighbours(await reader.GetPageAsync($"/articles/{ids[2]}")).Newer);
    }

    [Fact]
    public async Task HtmlSitemap_ListsEveryVisibleChannelWithItsChildrenAndFeed_AndTheFooterLinksToIt()
    {
        var reader = _factory.CreateReader();

        var page = await reader.GetPageAsync("/sitemap");

        Assert.Equal("网站地图", page.QuerySelector("h1")!.Text());
        var channels = page.QuerySelectorAll(".sitemap__channel").Select(a => a.Text()).ToList();
        Assert.Contains("东西部协作", channels);
        Assert.Contains("/channels/xiezuo/feed.xml", page.QuerySelectorAll(".sitemap__feed").Select(a => a.GetAttribute("href")));
        // 脱贫攻坚's sub-channels sit under it.
        var tuopin = page.QuerySelectorAll(".sitemap__channels > li").Single(li => li.QuerySelector(".sitemap__channel")!.Text() == "脱贫攻坚");
        Assert.Equal(2, tuopin.QuerySelectorAll(".sitemap__children a").Length);
        Assert.Contains("/sitemap.xml", page.QuerySelectorAll(".sitemap__more a").Select(a => a.GetAttribute("href")));
        Assert.Equal("/sitemap", (await reader.GetPageAsync("/")).QuerySelectorAll(".site-footer a").Single(a => a.Text() == "网站地图").GetAttribute("href"));

        // A new channel shows at once: the page is evicted with the navigation.
        await _factory.WithDbAsync(async db =>
        {
            db.Channels.Add(new Channel { Slug = "nav-new", Name = "新设栏目", SortOrder = 200 });
            await db.SaveChangesAsync();
        });
        Assert.Contains("新设栏目", (await reader.GetPageAsync("/sitemap")).QuerySelectorAll(".sitemap__channel").Select(a => a.Text()));
    }
}
