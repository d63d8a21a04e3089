using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Search;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// Reader search through /search on the sample content plus articles each test adds with words of its own, so
/// the tests can share one app.
/// </summary>
public sealed class SearchTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private async Task<IHtmlDocument> SearchAsync(string query, string extra = "") =>
        await factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString(query) + extra);

    private static List<string> HitUrls(IHtmlDocument page) =>
        page.QuerySelectorAll(".search-result__title a").Select(a => a.GetAttribute("href")!).ToList();

    private static bool Finds(IHtmlDocument page, int id) => HitUrls(page).Any(u => u.StartsWith($"/articles/{id}/", StringComparison.Ordinal));

    private async Task<int> ChannelIdAsync(string slug) =>
        await factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private async Task<int> AddAsync(ArticleBuilder builder) => await factory.WithDbAsync(async db =>
    {
        var article = builder.Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    private async Task<ArticleBuilder> NewAsync(string title, string channel = "xiezuo") => new(await ChannelIdAsync(channel), title);

    [Fact]
    public async Task EverySubstringOfEveryPublishedTitle_FindsItsArticle()
    {
        var titles = await factory.WithDbAsync(db => db.Articles.Where(a => a.Status == ArticleStatus.Published)
            .Where(a => a.Slug.Length < 40).Select(a => new { a.Id, a.Title }).ToListAsync());
        Assert.NotEmpty(titles);
        var missed = new List<string>();
        foreach (var (id, title) in titles.Select(t => (t.Id, t.Title)))
        {
            var substrings = new HashSet<string>();
            for (var length = 2; length <= 4; length++)
            {
                for (var start = 0; start + length <= title.Length; start++)
                {
                    substrings.Add(title.Substring(start, length));
                }
            }
            foreach (var substring in substrings.Where(s => s.Any(char.IsLetterOrDigit)))
            {
                if (!Finds(await SearchAsync(substring), id))
                {
                    missed.Add($"{title} ← {substring}");
                }
            }
        }
        Assert.Empty(missed);
    }

    /// <summary>
    /// The page of hits is read by key, and as one statement whatever the hits: with the ids as constants EF compiled
    /// the query anew for every page of results; with them as one JSON list SQLite scanned an index instead.
    /// </summary>
    [Fact]
    public async Task PageOfHits_IsReadByKey_WithTheSameStatementForOtherHits()
    {
        factory.Commands.Reset();
        Assert.NotEmpty(HitUrls(await SearchAsync("扶贫")));
        Assert.NotEmpty(HitUrls(await SearchAsync("湘西")));

        var loads = factory.Commands.Recent.Where(c => c.Sql.Contains("\"BodyHtml\"", StringComparison.Ordinal)
            && c.Sql.Contains("IN (@ids", StringComparison.Ordinal)).ToList();
        Assert.True(loads.Count == 2, string.Join(Environment.NewLine + Environment.NewLine, factory.Commands.Recent.Select(c => c.Sql)));
        Assert.Equal(loads[0].Sql, loads[1].Sql);
        if (factory.Provider == DatabaseProvider.Sqlite)
        {
            // PostgreSQL plans by cost, and on the tests' few rows any index will do; SQLite's choice is by the rules.
            var plan = await factory.ExplainAsync(loads[1]);
            Assert.Contains(plan, line => line.Contains("USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.StartsWith("SCAN a", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("洞")]
    [InlineData("14668")]
    [InlineData("１４６６８")]
    public async Task SingleCharacterAndNumberQueries_FindTheShibadongReport(string query)
    {
        var page = await SearchAsync(query);

        Assert.Contains(HitUrls(page), u => u.Contains("shibadong", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Wulingyuan")]
    [InlineData("WULINGYUAN")]
    [InlineData("ｗｕｌｉｎｇｙｕａｎ")]
    [InlineData("wulingyuan")]
    public async Task LatinWords_MatchCaseAndWidthInsensitively(string query)
    {
        var id = await AddAsync((await NewAsync("武陵源 Wulingyuan 报道")).Body("景区接待游客。"));

        Assert.True(Finds(await SearchAsync(query), id));
    }

    [Fact]
    public async Task QuotedPhrase_NeedsTheWordsTogether_WordsDoNot()
    {
        var together = await AddAsync((await NewAsync("短语测试一")).Body("这里写着青枫铜铃两个词连在一起。"));
        var apart = await AddAsync((await NewAsync("短语测试二")).Body("这里先写青枫，隔了很远以后才写铜铃。"));

        var words = await SearchAsync("青枫 铜铃");
        var phrase = await SearchAsync("\"青枫铜铃\"");

        Assert.True(Finds(words, together) && Finds(words, apart));
        Assert.True(Finds(phrase, together));
        Assert.False(Finds(phrase, apart));
    }

    [Fact]
    public async Task MinusWord_ExcludesArticlesContainingIt_AndOrFindsEither()
    {
        var first = await AddAsync((await NewAsync("排除测试")).Body("白鹭湾有茶园。"));
        var second = await AddAsync((await NewAsync("排除测试")).Body("白鹭湾有竹林。"));

        var excluded = await SearchAsync("白鹭湾 -竹林");
        var either = await SearchAsync("白鹭湾有茶 OR 白鹭湾有竹");

        Assert.True(Finds(excluded, first));
        Assert.False(Finds(excluded, second));
        Assert.True(Finds(either, first) && Finds(either, second));
        Assert.Empty(HitUrls(await SearchAsync("白鹭湾 -白鹭湾")));
    }

    [Fact]
    public async Task TitleMatch_OutranksBodyMatch()
    {
        var inBody = await AddAsync((await NewAsync("一篇普通的报道")).Body("文中多次提到金银花基地。金银花基地扩建。金银花基地用工。"));
        var inTitle = await AddAsync((await NewAsync("金银花基地扩建完成")).Body("一篇报道。"));

        var hits = HitUrls(await SearchAsync("金银花基地"));

        Assert.True(hits.FindIndex(u => u.StartsWith($"/articles/{inTitle}/")) < hits.FindIndex(u => u.StartsWith($"/articles/{inBody}/")),
            string.Join(" ", hits));
    }

    [Fact]
    public async Task Highlights_CoverWholeMatchedWords()
    {
        var page = await SearchAsync("十八洞 扶贫");

        var marks = page.QuerySelectorAll(".search-results mark").Select(m => m.TextContent).ToList();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.True(m.Contains("十八洞") || m.Contains("扶贫"), m));
        Assert.Contains(page.QuerySelectorAll(".search-result__title mark"), m => m.TextContent == "十八洞");
    }

    [Fact]
    public async Task Filters_NarrowByChannelSourceAuthorKindAndDate()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var inChanye = await AddAsync((await NewAsync("筛选测试蓝莓园", "chanye")).Source("团结报").Author("本报记者").PublishedAt(now.AddDays(-400)));
        var elsewhere = await AddAsync((await NewAsync("筛选测试蓝莓园", "xiaozhen")).Source("湘西日报").Author("通讯员").PublishedAt(now.AddDays(-3)));
        var video = await AddAsync((await NewAsync("筛选测试蓝莓园视频", "shipin")).Video().PublishedAt(now.AddDays(-3)));

        // A channel includes its sub-channels: 产业 sits under 脱贫攻坚.
        var byParent = await SearchAsync("蓝莓园", "&channel=tuopin");
        Assert.True(Finds(byParent, inChanye));
        Assert.False(Finds(byParent, elsewhere));

        var bySource = await SearchAsync("蓝莓园", "&source=" + Uri.EscapeDataString("湘西日报"));
        Assert.Equal([elsewhere], HitUrls(bySource).Select(IdOf));

        var byAuthor = await SearchAsync("蓝莓园", "&author=" + Uri.EscapeDataString("本报记者"));
        Assert.Equal([inChanye], HitUrls(byAuthor).Select(IdOf));

        var videos = await SearchAsync("蓝莓园", "&kind=video");
        Assert.Equal([video], HitUrls(videos).Select(IdOf));

        var from = Web.Domain.ChinaTime.FormatDate(now.AddDays(-10));
        var recent = await SearchAsync("蓝莓园", "&from=" + from);
        Assert.True(Finds(recent, elsewhere) && Finds(recent, video));
        Assert.False(Finds(recent, inChanye));

        var old = await SearchAsync("蓝莓园", "&to=" + Web.Domain.ChinaTime.FormatDate(now.AddDays(-300)));
        Assert.Equal([inChanye], HitUrls(old).Select(IdOf));
    }

    [Fact]
    public async Task SortByDate_ListsNewestFirst()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var older = await AddAsync((await NewAsync("排序测试山茶油")).PublishedAt(now.AddDays(-30)));
        var newer = await AddAsync((await NewAsync("排序测试山茶油山茶油")).PublishedAt(now.AddDays(-2)));
        var newest = await AddAsync((await NewAsync("排序测试")).Body("山茶油").PublishedAt(now.AddDays(-1)));

        var hits = HitUrls(await SearchAsync("山茶油", "&sort=date")).Select(IdOf).ToList();

        Assert.Equal([newest, newer, older], hits);
    }

    [Fact]
    public async Task ManyHits_AreCountedAndPaged()
    {
        for (var i = 0; i < 23; i++)
        {
            await AddAsync((await NewAsync($"分页测试紫云英第{i}篇")).PublishedAt(factory.Clock.GetUtcNow().UtcDateTime.AddHours(-i - 1)));
        }

        var first = await SearchAsync("紫云英");
        var second = await SearchAsync("紫云英", "&page=2");

        Assert.Contains("共找到 23 篇", first.QuerySelector(".search-count").Text());
        Assert.Equal(20, HitUrls(first).Count);
        Assert.Equal(3, HitUrls(second).Count);
        Assert.Empty(HitUrls(first).Intersect(HitUrls(second)));
    }

    [Fact]
    public async Task UnpublishedArticles_AreNeverShownToReaders()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var draft = await AddAsync((await NewAsync("隐藏测试沙棘林草稿")).Draft());
        var withdrawn = await AddAsync((await NewAsync("隐藏测试沙棘林撤稿")).Withdrawn());
        var scheduled = await AddAsync((await NewAsync("隐藏测试沙棘林定时")).PublishedAt(now.AddHours(2)));
        var published = await AddAsync(await NewAsync("隐藏测试沙棘林已发布"));

        var page = await SearchAsync("沙棘林");

        Assert.Equal([published], HitUrls(page).Select(IdOf));
        Assert.DoesNotContain(draft, HitUrls(page).Select(IdOf));
        Assert.DoesNotContain(withdrawn, HitUrls(page).Select(IdOf));
        Assert.DoesNotContain(scheduled, HitUrls(page).Select(IdOf));
    }

    [Fact]
    public async Task ScheduledArticle_IsFoundFromItsTimeOn_WithoutAnyWrite()
    {
        var due = factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(30);
        var id = await AddAsync((await NewAsync("定时检索测试油菜花田")).PublishedAt(due));

        Assert.False(Finds(await SearchAsync("油菜花田"), id));
        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True(Finds(await SearchAsync("油菜花田"), id));
    }

    [Fact]
    public async Task PublishWithdrawAndEdit_AreReflectedOnTheNextRequest()
    {
        var id = await AddAsync((await NewAsync("一致性测试草稿")).Body("文中写到了杜仲林。").Draft());
        Assert.False(Finds(await SearchAsync("杜仲林"), id));

        await factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Publish(factory.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        });
        Assert.True(Finds(await SearchAsync("杜仲林"), id));

        await factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Title = "一致性测试改名黄精谷";
            article.SetBody("改写后的正文。", "<p>改写后的正文。</p>");
            await db.SaveChangesAsync();
        });
        Assert.True(Finds(await SearchAsync("黄精谷"), id));
        Assert.False(Finds(await SearchAsync("杜仲林"), id));

        await factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Withdraw();
            await db.SaveChangesAsync();
        });
        Assert.False(Finds(await SearchAsync("黄精谷"), id));
    }

    [Fact]
    public async Task Tags_AreSearchable_AndTagChangesReindex()
    {
        var id = await AddAsync((await NewAsync("标签检索测试")).Tags(new Tag { Name = "钩藤种植" }));
        Assert.True(Finds(await SearchAsync("钩藤"), id));

        await factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id);
            article.Tags.Clear();
            await db.SaveChangesAsync();
        });
        Assert.False(Finds(await SearchAsync("钩藤"), id));
    }

    public static TheoryData<string> BadQueries() =>
    [
        "\"", "\"扶贫", "扶贫\"", "\"\"\"", "*", "扶贫*", "a:b", "title:扶贫", "^扶贫", "NEAR(扶贫 湘西)", "NEAR(", "AND", "OR", "NOT",
        "扶贫 AND", "OR 扶贫", "NOT NOT", "扶贫 OR OR 湘西", "(", ")", "(扶贫", "扶贫)", "-", "--", "- -", "-扶贫", "+", "{title}: x",
        "!!!", "。，、；", "\u0001\u0002扶贫\u0007", "'; DROP TABLE Articles; --", "%", "_", "\\", "扶贫\\\"湘西", "\u200b", "🙂", "𠀀",
        new string('扶', 10_000), string.Concat(Enumerable.Repeat("扶贫 ", 3_000)),
    ];

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadQuery_GetsAPage_NeverAnError(string query)
    {
        using var response = await factory.CreateReader().GetAsync("/search?q=" + Uri.EscapeDataString(query));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("fts5", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("syntax error", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("&from=2020-13-45", "起始日期")]
    [InlineData("&to=yesterday", "截止日期")]
    [InlineData("&from=%00%01", "起始日期")]
    [InlineData("&page=-3&channel=no-such-channel", "没有这个栏目")]
    public async Task BadFilters_AreIgnoredWithAMessage(string extra, string message)
    {
        var page = await SearchAsync("扶贫", extra);

        Assert.Contains(page.QuerySelectorAll(".notice"), n => n.TextContent.Contains(message));
        Assert.NotEmpty(HitUrls(page));
    }

    [Fact]
    public async Task ReversedDates_AreSwapped()
    {
        var page = await SearchAsync("扶贫", "&from=2020-12-31&to=2020-01-01");

        Assert.Contains(page.QuerySelectorAll(".notice"), n => n.TextContent.Contains("对调"));
        Assert.NotEmpty(HitUrls(page));
    }

    [Fact]
    public async Task LongQuery_IsCutWithANotice()
    {
        var page = await SearchAsync(new string('湘', 10_000));

        Assert.Contains(page.QuerySelectorAll(".notice"), n => n.TextContent.Contains("过长"));
        Assert.True(page.QuerySelector("#search-q")!.GetAttribute("value")!.Length <= 100);
    }

    [Fact]
    public async Task NoResults_SuggestsWiderSearches()
    {
        var page = await SearchAsync("十八洞 不存在的词语组合", "&channel=yuqing&kind=video");

        Assert.Empty(HitUrls(page));
        var suggestions = page.QuerySelectorAll(".empty a").Select(a => a.TextContent).ToList();
        Assert.Contains("只搜“十八洞”", suggestions);
        Assert.Contains("在全部栏目中查找", suggestions);
        Assert.Contains("不限类型", suggestions);
        var allChannels = page.QuerySelectorAll(".empty a").First(a => a.TextContent == "在全部栏目中查找").GetAttribute("href")!;
        Assert.DoesNotContain("channel=", allChannels);
        Assert.Contains("kind=video", allChannels);
    }

    [Fact]
    public async Task Query_IsEchoedEncoded_AndResultsAreNotIndexed()
    {
        var page = await SearchAsync("<script>alert(1)</script> 十八洞村");

        Assert.Empty(page.QuerySelectorAll("main script"));
        Assert.Equal("<script>alert(1)</script> 十八洞村", page.QuerySelector("#search-q")!.GetAttribute("value"));
        Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
    }

    [Fact]
    public async Task Reindex_RebuildsTheSameResults()
    {
        var before = HitUrls(await SearchAsync("湘西"));

        await factory.WithDbAsync(async db =>
        {
            var index = (ISearchIndex)factory.Services.GetService(typeof(ISearchIndex))!;
            await index.RebuildAsync(db, null, CancellationToken.None);
        });

        Assert.Equal(before, HitUrls(await SearchAsync("湘西")));
    }

    private static int IdOf(string url) => int.Parse(url.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);
}
