using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Curation;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 版面编排 through the real forms: headlines, 热点新闻 pins with expiry, 热点视频 picks and the sidebar settings,
/// each seen by a reader on the next request. The sample content starts with two headlines (济南 delegation,
/// 十八洞 industries) and one pin (济南 delegation, no expiry).
/// </summary>
public sealed class CurationTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Page = "/admin/curation";
    private const string SidebarsPage = "/admin/curation/sidebars";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Headlines_ShowOnTheFrontPageInTheGivenOrderAtTheNextRequest()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/");
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");
        var panda = await _factory.ArticleIdAsync("fenghuang-panda-park");

        await PlaceOkAsync(editor, CurationBlock.Headline, bridge, position: 1);
        await PlaceOkAsync(editor, CurationBlock.Headline, panda, position: 2);

        Assert.Equal(["aizhai-bridge", "fenghuang-panda-park", "jinan-xiangxi-delegation", "shibadong-six-industries"],
            await HeadlineSlugsAsync(reader));
        await ChangeOkAsync(editor, CurationBlock.Headline, panda, "Move", offset: -1);
        Assert.Equal(["fenghuang-panda-park", "aizhai-bridge", "jinan-xiangxi-delegation", "shibadong-six-industries"],
            await HeadlineSlugsAsync(reader));
        var actions = await AuditActionsAsync();
        Assert.Equal([AuditActions.HeadlineAdded, AuditActions.HeadlineAdded, AuditActions.HeadlineMoved], actions);
    }

    [Fact]
    public async Task RemovedHeadline_LeavesTheFrontPage()
    {
        var editor = await SignInAsync(NewsRoles.EditorInChief);
        var jinan = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");

        await ChangeOkAsync(editor, CurationBlock.Headline, jinan, "Remove");

        Assert.Equal(["shibadong-six-industries"], await HeadlineSlugsAsync(_factory.CreateReader()));
        var page = await editor.GetPageAsync(Page);
        Assert.Contains("已从头条中移除", page.QuerySelector(".flash").Text());
        Assert.Null(page.QuerySelector($"#headlines li[data-article='{jinan}']"));
        Assert.NotNull(page.QuerySelector("#headlines li[data-article]"));
        Assert.Equal([AuditActions.HeadlineRemoved], await AuditActionsAsync());
        Assert.Equal("取消头条", AuditActions.DisplayName(AuditActions.HeadlineRemoved));
    }

    [Fact]
    public async Task Pin_LeadsHotNewsUntilTheClockPassesItsExpiry()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var reader = _factory.CreateReader();
        var initial = await HotNewsHrefsAsync(reader); // the snapshot is built and cached now
        Assert.Contains("jinan-xiangxi-delegation", initial[0]);
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");

        await PlaceOkAsync(editor, CurationBlock.HotNews, bridge, position: 1, until: Now.AddHours(2));

        var hot = await HotNewsHrefsAsync(reader);
        Assert.Contains("aizhai-bridge", hot[0]);
        Assert.Contains("jinan-xiangxi-delegation", hot[1]);
        var listed = (await editor.GetPageAsync(Page)).QuerySelector($"#hot-news li[data-article='{bridge}']")!;
        Assert.Contains(ChinaTime.FormatDateTime(Now.AddHours(2)), listed.Text());
        Assert.Null(listed.QuerySelector(".placement__flag"));

        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(initial, await HotNewsHrefsAsync(reader)); // no invalidation: the snapshot expires with the pin
        listed = (await editor.GetPageAsync(Page)).QuerySelector($"#hot-news li[data-article='{bridge}']")!;
        Assert.Contains("已过期", listed.QuerySelector(".placement__flag").Text());
        var entry = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.HotNewsPinned));
        Assert.Equal($"article:{bridge}", entry.Target);
        Assert.Contains($"北京时间 {ChinaTime.FormatDateTime(Now.AddSeconds(-1))} 到期", entry.Details);
    }

    [Fact]
    public async Task PinExpiryInThePast_IsRefusedWithAMessageAndNothingChanges()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");

        using var response = await PlaceAsync(editor, CurationBlock.HotNews, bridge, until: Now.AddHours(-1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("到期时间须晚于现在", page.QuerySelector("#hot-news .form-errors").Text());
        Assert.Equal(bridge.ToString(), page.QuerySelector("#hot-news-article")!.GetAttribute("value"));
        Assert.Equal(WorkflowSteps.FormatChinaLocal(Now.AddHours(-1)), page.QuerySelector("#hot-news-until")!.GetAttribute("value"));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.Placements.CountAsync(p => p.Block == CurationBlock.HotNews)));
        Assert.Empty(await AuditActionsAsync());
    }

    [Theory]
    [InlineData("not-a-time", "请按“年-月-日 时:分”填写到期时间")]
    [InlineData("2020-13-45T25:00", "请按“年-月-日 时:分”填写到期时间")]
    [InlineData("0001-01-01T00:00", "到期时间")]
    [InlineData("0001-01-01T07:59", "到期时间")]
    [InlineData("9999-12-31T23:59", "到期时间")]
    [InlineData("99999-12-31T23:59", "到期时间")]
    public async Task UnreadableExpiry_IsRefused(string until, string message)
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");

        using var response = await editor.SubmitFormAsync(Page, "#add-hot-news",
            new() { ["Input.ArticleId"] = bridge.ToString(), ["Input.Until"] = until });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await ParseAsync(response)).QuerySelector("#hot-news .form-errors").Text());
    }

    [Theory]
    [InlineData(CurationBlock.Headline, "draft")]
    [InlineData(CurationBlock.Headline, "withdrawn")]
    [InlineData(CurationBlock.HotNews, "draft")]
    [InlineData(CurationBlock.HotNews, "withdrawn")]
    public async Task DraftsAndWithdrawnArticles_AreRefused(CurationBlock block, string state)
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var id = await AddArticleAsync("xiezuo", b => state == "draft" ? b.Draft() : b.Withdrawn());
        var before = await _factory.WithDbAsync(db => db.Placements.CountAsync());

        using var response = await PlaceAsync(editor, block, id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await ParseAsync(response)).QuerySelector($"#{Anchor(block)} .form-errors").Text();
        Assert.Contains("只有已发布或定时发布的稿件", message);
        Assert.Contains(state == "draft" ? "草稿" : "已撤稿", message);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Placements.CountAsync()));
    }

    [Fact]
    public async Task UnknownArticleNumber_IsRefusedNotAnError()
    {
        var editor = await SignInAsync(NewsRoles.Editor);

        using var unknown = await editor.SubmitFormAsync(Page, "#add-headlines", new() { ["Input.ArticleId"] = "999999" });
        using var text = await editor.SubmitFormAsync(Page, "#add-headlines", new() { ["Input.ArticleId"] = "济南" });
        using var position = await editor.SubmitFormAsync(Page, "#add-headlines",
            new() { ["Input.ArticleId"] = (await _factory.ArticleIdAsync("aizhai-bridge")).ToString(), ["Input.Position"] = "0" });

        Assert.Contains("没有编号为 999999 的稿件", (await ParseAsync(unknown)).QuerySelector("#headlines .form-errors").Text());
        Assert.Contains("请填写稿件编号", (await ParseAsync(text)).QuerySelector("#headlines .form-errors").Text());
        Assert.Contains("位置应为正整数", (await ParseAsync(position)).QuerySelector("#headlines .form-errors").Text());
        Assert.All([unknown, text, position], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task ChosenVideos_LeadHotVideosInTheirOrderAndTheNewestFillTheRest()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var reader = _factory.CreateReader();
        var newest = await AddArticleAsync("shipin", b => b.Video(url: "https://video.example.com/newest.webm").PublishedAt(Now.AddHours(-1)));
        var bridge = await _factory.ArticleIdAsync("video-aizhai-bridge");
        var shibadong = await _factory.ArticleIdAsync("video-shibadong-visit");
        Assert.Equal($"/articles/{newest}", Trim((await VideoHrefsAsync(reader))[0]));

        await PlaceOkAsync(editor, CurationBlock.HotVideos, bridge);
        await PlaceOkAsync(editor, CurationBlock.HotVideos, shibadong, position: 1);

        Assert.Equal([$"/articles/{shibadong}", $"/articles/{bridge}", $"/articles/{newest}"],
            (await VideoHrefsAsync(reader)).Select(Trim));
        using var refused = await PlaceAsync(editor, CurationBlock.HotVideos, await _factory.ArticleIdAsync("aizhai-bridge"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("热点视频只能选择视频稿件。", (await ParseAsync(refused)).QuerySelector("#hot-videos .form-errors").Text());
        Assert.Equal([AuditActions.HotVideoAdded, AuditActions.HotVideoAdded], await AuditActionsAsync());
    }

    [Fact]
    public async Task SidebarChannelsAndCounts_ChangeTheFrontAndArticlePagesAtTheNextRequest()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var reader = _factory.CreateReader();
        var jinan = $"/articles/{await _factory.ArticleIdAsync("jinan-xiangxi-delegation")}/jinan-xiangxi-delegation";
        var channels = await _factory.WithDbAsync(db => db.Channels.ToDictionaryAsync(c => c.Slug, c => c.Id));
        foreach (var url in new[] { "/", jinan })
        {
            var before = await reader.GetPageAsync(url);
            Assert.Equal("/channels/yuqing", before.QuerySelector("#sb-opinion a")!.GetAttribute("href"));
        }

        using var response = await editor.SubmitFormAsync(SidebarsPage, "form.sidebars-form", new()
        {
            ["Input.OpinionChannelId"] = channels["xiezuo"].ToString(),
            ["Input.OpinionCount"] = "2",
            ["Input.TownChannelId"] = channels["tuopin"].ToString(),
            ["Input.TownCount"] = "1",
            ["Input.HotNewsCount"] = "3",
            ["Input.HotVideoCount"] = "1",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var xiezuo = await ArticleIdsInAsync("xiezuo");
        var tuopin = await ArticleIdsInAsync("tuopin", "chanye", "jiuye");
        foreach (var url in new[] { "/", jinan })
        {
            var page = await reader.GetPageAsync(url);
            Assert.Equal("/channels/xiezuo", page.QuerySelector("#sb-opinion a")!.GetAttribute("href"));
            var opinion = SidebarIds(page, "sb-opinion");
            Assert.Equal(2, opinion.Count);
            Assert.All(opinion, id => Assert.Contains(id, xiezuo));
            Assert.Equal("/channels/tuopin", page.QuerySelector("#sb-towns a")!.GetAttribute("href"));
            Assert.Contains(Assert.Single(SidebarIds(page, "sb-towns")), tuopin); // a sub-channel's article counts
            Assert.Equal(3, page.QuerySelectorAll(".sidebar--hot .sidebar__list a").Length);
            Assert.Single(page.QuerySelectorAll(".sidebar--videos .video-cards a"));
        }
        var entry = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SidebarsChanged));
        Assert.Contains("热点舆情栏目 热点舆情 → 东西部协作", entry.Details);
        Assert.Contains("特色小镇条数 6 → 1", entry.Details);
        var form = await editor.GetPageAsync(SidebarsPage);
        Assert.Contains("侧栏设置已保存", form.QuerySelector(".flash").Text());
        Assert.Equal(channels["xiezuo"].ToString(), ((IHtmlSelectElement)form.QuerySelector("#opinion-channel")!).Value);
    }

    [Theory]
    [InlineData("Input.HotVideoCount", "9", "热点视频条数应为 1 到 8")]
    [InlineData("Input.HotNewsCount", "0", "热点新闻条数应为 1 到 20")]
    [InlineData("Input.OpinionCount", "21", "热点舆情条数应为 1 到 20")]
    [InlineData("Input.TownCount", "many", "特色小镇条数应为 1 到 20")]
    [InlineData("Input.OpinionChannelId", "999999", "请选择一个已有的栏目。")]
    [InlineData("Input.TownChannelId", "", "请选择一个已有的栏目。")]
    public async Task BadSidebarValues_AreRefusedNextToTheField(string field, string value, string message)
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var before = await _factory.WithDbAsync(db => db.SidebarSettings.AsNoTracking().SingleAsync());

        using var response = await editor.SubmitFormAsync(SidebarsPage, "form.sidebars-form", new() { [field] = value, ["Input.HotNewsCount"] = field == "Input.HotNewsCount" ? value : "9" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains(message, page.QuerySelector($"[data-valmsg-for='{field}']").Text());
        var after = await _factory.WithDbAsync(db => db.SidebarSettings.AsNoTracking().SingleAsync());
        Assert.Equal((before.HotNewsCount, before.OpinionChannelId, before.TownCount), (after.HotNewsCount, after.OpinionChannelId, after.TownCount));
        Assert.Empty(await AuditActionsAsync());
    }

    [Fact]
    public async Task Reporters_AreRefused403AndSeeNoLink()
    {
        var reporter = await SignInAsync(NewsRoles.Reporter);
        var editorPage = await (await SignInAsync(NewsRoles.Editor, "editor2@example.com")).GetPageAsync("/admin");

        foreach (var url in new[] { Page, SidebarsPage })
        {
            await reporter.GetPageAsync(url, 403);
        }
        // A reporter has a valid antiforgery token (from any newsroom page); the role is what refuses the post.
        var token = (await reporter.GetPageAsync("/admin")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var bridge = (await _factory.ArticleIdAsync("aizhai-bridge")).ToString();
        foreach (var url in new[] { $"{Page}?handler=Place", $"{Page}?handler=Remove", SidebarsPage })
        {
            using var post = await reporter.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Input.Block"] = "Headline", ["Input.ArticleId"] = bridge,
                ["block"] = "Headline", ["articleId"] = (await _factory.ArticleIdAsync("jinan-xiangxi-delegation")).ToString(),
                ["Input.HotNewsCount"] = "1",
            }));
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {url} answered {(int)post.StatusCode}");
        }
        Assert.Equal(3, await _factory.WithDbAsync(db => db.Placements.CountAsync()));
        Assert.Null((await reporter.GetPageAsync("/admin")).QuerySelector($".admin-nav a[href='{Page}']"));
        Assert.Equal("版面", editorPage.QuerySelector($".admin-nav a[href='{Page}']").Text());
        Assert.Empty(await AuditActionsAsync());
    }

    [Fact]
    public async Task Administrators_MayCurateToo()
    {
        var admin = await SignInAsync(NewsRoles.Administrator);

        await PlaceOkAsync(admin, CurationBlock.Headline, await _factory.ArticleIdAsync("aizhai-bridge"), position: 1);

        Assert.Equal("aizhai-bridge", (await HeadlineSlugsAsync(_factory.CreateReader()))[0]);
        await admin.GetPageAsync(SidebarsPage);
    }

    [Fact]
    public async Task ReviewPage_LinksToTheCurationPageWithTheArticlePreselected()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var bridge = await _factory.ArticleIdAsync("aizhai-bridge");

        var review = await editor.GetPageAsync($"/admin/articles/{bridge}");
        var link = review.QuerySelector(".review-curation a[href*='#headlines']")!.GetAttribute("href")!;
        var page = await editor.GetPageAsync(link);

        Assert.Contains($"编号 {bridge}", page.QuerySelector("#selected").Text());
        Assert.Equal(bridge.ToString(), page.QuerySelector("#headlines-article")!.GetAttribute("value"));
        Assert.Null(review.QuerySelector(".review-curation a[href*='#hot-videos']")); // not a video
    }

    [Fact]
    public async Task TitleSearch_FindsPublishedArticlesButNotDrafts()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var draft = await AddArticleAsync("xiezuo", b => b.Draft(), "矮寨大桥草稿");

        var page = await editor.GetPageAsync($"{Page}?q={Uri.EscapeDataString("矮寨")}");

        var rows = page.QuerySelectorAll(".curation-candidates tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("矮寨", r.Text()));
        Assert.DoesNotContain(rows, r => r.QuerySelector("td")!.Text() == draft.ToString());
    }

    [Fact]
    public async Task WithdrawingAHeadline_TakesItOutOfTheBlock()
    {
        var editor = await SignInAsync(NewsRoles.Editor);
        var jinan = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");

        await editor.StepOkAsync(jinan, "withdraw", "测试撤稿");

        var blocks = await _factory.WithDbAsync(db => db.Placements.Where(p => p.ArticleId == jinan).Select(p => p.Block).ToListAsync());
        Assert.Empty(blocks);
        Assert.Equal(["shibadong-six-industries"], await HeadlineSlugsAsync(_factory.CreateReader()));
    }

    // ---- helpers ----

    private async Task<HttpClient> SignInAsync(string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}@example.com";
        await _factory.CreateUserAsync(email, role);
        return await _factory.SignInAsync(email);
    }

    private static string Anchor(CurationBlock block) => CurationDisplay.Anchor(block);

    private static Task<HttpResponseMessage> PlaceAsync(HttpClient client, CurationBlock block, int articleId, int? position = null, DateTime? until = null)
    {
        var values = new Dictionary<string, string?> { ["Input.ArticleId"] = articleId.ToString(), ["Input.Position"] = position?.ToString() ?? "" };
        if (block == CurationBlock.HotNews)
        {
            values["Input.Until"] = until is { } u ? WorkflowSteps.FormatChinaLocal(u) : "";
        }
        return client.SubmitFormAsync(Page, $"#add-{Anchor(block)}", values);
    }

    private static async Task PlaceOkAsync(HttpClient client, CurationBlock block, int articleId, int? position = null, DateTime? until = null)
    {
        using var response = await PlaceAsync(client, block, articleId, position, until);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"placing {articleId} in {block} answered {(int)response.StatusCode}: {(await ParseAsync(response)).QuerySelector(".form-errors")?.TextContent}");
    }

    /// <summary>Posts a row's move or remove form as its button would.</summary>
    private static async Task ChangeOkAsync(HttpClient client, CurationBlock block, int articleId, string handler, int offset = 0)
    {
        var page = await client.GetPageAsync(Page);
        var fields = Newsroom.FieldsOf(page, $"#change-{Anchor(block)}-{articleId}");
        if (handler == "Move")
        {
            fields.Add(new("offset", offset.ToString()));
        }
        using var response = await client.PostAsync($"{Page}?handler={handler}", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<int> AddArticleAsync(string channel, Func<ArticleBuilder, ArticleBuilder> shape, string? title = null) =>
        await _factory.WithDbAsync(async db =>
        {
            var channelId = await db.Channels.Where(c => c.Slug == channel).Select(c => c.Id).SingleAsync();
            var article = shape(new ArticleBuilder(channelId, title)).Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });

    private Task<List<int>> ArticleIdsInAsync(params string[] channels) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => channels.Contains(a.Channel!.Slug)).Select(a => a.Id).ToListAsync());

    private Task<List<string>> AuditActionsAsync() =>
        _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action.StartsWith("curation.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    private static async Task<List<string>> HeadlineSlugsAsync(HttpClient reader)
    {
        var page = await reader.GetPageAsync("/");
        return page.QuerySelectorAll(".headline__title a, .headline-more a")
            .Select(a => a.GetAttribute("href")!.Split('/').Last()).ToList();
    }

    private static async Task<List<string>> HotNewsHrefsAsync(HttpClient reader) =>
        (await reader.GetPageAsync("/")).QuerySelectorAll(".sidebar--hot .sidebar__list a").Select(a => a.GetAttribute("href")!).ToList();

    private static async Task<List<string>> VideoHrefsAsync(HttpClient reader) =>
        (await reader.GetPageAsync("/")).QuerySelectorAll(".sidebar--videos .video-cards a").Select(a => a.GetAttribute("href")!).ToList();

    private static List<int> SidebarIds(IHtmlDocument page, string id) =>
        page.QuerySelectorAll($"section[aria-labelledby='{id}'] .sidebar__list a")
            .Select(a => int.Parse(a.GetAttribute("href")!.Split('/')[2])).ToList();

    /// <summary>"/articles/42/slug" → "/articles/42".</summary>
    private static string Trim(string href) => string.Join('/', href.Split('/').Take(3));

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}
