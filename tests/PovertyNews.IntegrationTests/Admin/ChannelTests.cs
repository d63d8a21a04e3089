using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>Channel management (栏目) through the real forms, and what readers see after each change.</summary>
public sealed class ChannelTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private const string Form = "form.channels-form";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreatedChannel_AppearsInNavigationOnTheNextRequest()
    {
        var admin = await SignedInAsync();
        var reader = _factory.CreateReader();
        Assert.DoesNotContain("/channels/xiangcun", NavigationOf(await reader.GetPageAsync("/")));

        using var response = await admin.SubmitFormAsync("/admin/channels/new", Form, new()
        {
            ["Input.Name"] = " 乡村振兴 ", ["Input.Slug"] = "xiangcun", ["Input.Description"] = "乡村振兴的报道。",
        });

        AssertRedirect(response, "/admin/channels");
        Assert.Equal("/channels/xiangcun", NavigationOf(await reader.GetPageAsync("/"))[^1]);
        var page = await reader.GetPageAsync("/channels/xiangcun");
        Assert.Equal("乡村振兴", page.QuerySelector("h1").Text());
        Assert.Equal("乡村振兴的报道。", page.QuerySelector(".listing-header__description").Text());
        var list = await admin.GetPageAsync("/admin/channels");
        Assert.Contains("已新建栏目“乡村振兴”", list.QuerySelector(".flash").Text());
        Assert.NotNull(list.QuerySelector("tr[data-slug='xiangcun']"));
        var entry = await SingleAuditAsync(AuditActions.ChannelCreated);
        Assert.Equal("channel:xiangcun", entry.Target);
        Assert.Equal(Admin, entry.UserName);
    }

    [Fact]
    public async Task SubChannel_IsListedOnItsParentsPageNotInNavigation()
    {
        var admin = await SignedInAsync();
        var parent = await ChannelIdAsync("tuopin");

        using var response = await admin.SubmitFormAsync("/admin/channels/new", Form, new()
        {
            ["Input.Name"] = "教育扶贫", ["Input.Slug"] = "jiaoyu", ["Input.ParentId"] = parent.ToString(),
        });

        AssertRedirect(response, "/admin/channels");
        var reader = _factory.CreateReader();
        Assert.DoesNotContain("/channels/jiaoyu", NavigationOf(await reader.GetPageAsync("/")));
        var links = (await reader.GetPageAsync("/channels/tuopin")).QuerySelectorAll(".subchannels a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/channels/chanye", "/channels/jiuye", "/channels/jiaoyu"], links);
    }

    [Theory]
    [InlineData("Xiangcun", "小写")]
    [InlineData("xiang cun", "连字符")]
    [InlineData("-xiangcun", "连字符")]
    [InlineData("乡村", "小写英文字母")]
    [InlineData("x", "2–50")]
    [InlineData("admin", "保留")]
    [InlineData("feed.xml", "保留")]
    [InlineData("", "请填写网址别名")]
    [InlineData("xiezuo", "已被栏目“东西部协作”使用")]
    public async Task BadSlug_IsRefusedNextToTheFieldAndNothingIsCreated(string slug, string message)
    {
        var admin = await SignedInAsync();
        var before = await _factory.WithDbAsync(db => db.Channels.CountAsync());

        using var response = await admin.SubmitFormAsync("/admin/channels/new", Form, new() { ["Input.Name"] = "乡村振兴", ["Input.Slug"] = slug });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.Slug']").Text());
        Assert.Equal(slug, page.QuerySelector("input[name='Input.Slug']")!.GetAttribute("value") ?? "");
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Channels.CountAsync()));
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ChannelCreated)));
    }

    [Fact]
    public async Task MissingName_IsRefusedInChinese()
    {
        var admin = await SignedInAsync();

        using var response = await admin.SubmitFormAsync("/admin/channels/new", Form, new() { ["Input.Name"] = "  ", ["Input.Slug"] = "xiangcun" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("请填写栏目名称。", (await ParseAsync(response)).QuerySelector("[data-valmsg-for='Input.Name']").Text());
    }

    [Fact]
    public async Task RenamedSlug_OldUrlsAnswer301ToTheNewOneKeepingTheQuery()
    {
        var admin = await SignedInAsync();
        var id = await ChannelIdAsync("xiezuo");
        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/channels/xiezuo");

        using var response = await admin.SubmitFormAsync($"/admin/channels/{id}", Form, new()
        {
            ["Input.Name"] = "东西部扶贫协作", ["Input.Slug"] = "dongxi-xiezuo",
        });

        AssertRedirect(response, $"/admin/channels/{id}");
        await AssertMovedPermanentlyAsync(reader, "/channels/xiezuo", "/channels/dongxi-xiezuo");
        await AssertMovedPermanentlyAsync(reader, "/channels/xiezuo?page=2", "/channels/dongxi-xiezuo?page=2");
        await AssertMovedPermanentlyAsync(reader, "/channels/xiezuo/feed.xml", "/channels/dongxi-xiezuo/feed.xml");
        var page = await reader.GetPageAsync("/channels/dongxi-xiezuo");
        Assert.Equal("东西部扶贫协作", page.QuerySelector("h1").Text());
        Assert.Contains("/channels/dongxi-xiezuo", NavigationOf(await reader.GetPageAsync("/")));
        using (var feed = await reader.GetAsync("/channels/dongxi-xiezuo/feed.xml"))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            Assert.Contains("<link>http://localhost/channels/dongxi-xiezuo</link>", await feed.Content.ReadAsStringAsync());
        }
        // A bookmarked search with the old slug still filters by the channel.
        var search = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("联席会议") + "&channel=xiezuo");
        Assert.DoesNotContain("没有这个栏目", search.Body!.TextContent);
        Assert.Contains("/channels/xiezuo", (await admin.GetPageAsync($"/admin/channels/{id}")).QuerySelector(".channels-old-slugs").Text());
        var entry = await SingleAuditAsync(AuditActions.ChannelRenamed);
        Assert.Equal("名称：东西部协作 → 东西部扶贫协作；网址别名：xiezuo → dongxi-xiezuo（旧网址永久跳转）", entry.Details);
        await reader.GetPageAsync("/channels/no-such-channel", 404);
    }

    [Fact]
    public async Task SlugRenamedBack_AnswersAgainAndTheOtherSlugRedirects()
    {
        var admin = await SignedInAsync();
        var id = await ChannelIdAsync("xiezuo");
        (await admin.SubmitFormAsync($"/admin/channels/{id}", Form, new() { ["Input.Slug"] = "dongxi" })).Dispose();

        using var response = await admin.SubmitFormAsync($"/admin/channels/{id}", Form, new() { ["Input.Slug"] = "xiezuo" });

        AssertRedirect(response, $"/admin/channels/{id}");
        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/channels/xiezuo");
        await AssertMovedPermanentlyAsync(reader, "/channels/dongxi?page=3", "/channels/xiezuo?page=3");
        var oldSlugs = await _factory.WithDbAsync(db => db.ChannelRedirects.Where(r => r.ChannelId == id).Select(r => r.OldSlug).ToListAsync());
        Assert.Equal(["dongxi"], oldSlugs);
        Assert.Equal(2, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ChannelRenamed)));
    }

    [Fact]
    public async Task AnotherChannelsOldSlug_CannotBeTaken()
    {
        var admin = await SignedInAsync();
        var xiezuo = await ChannelIdAsync("xiezuo");
        (await admin.SubmitFormAsync($"/admin/channels/{xiezuo}", Form, new() { ["Input.Slug"] = "dongxi" })).Dispose();

        using var create = await admin.SubmitFormAsync("/admin/channels/new", Form, new() { ["Input.Name"] = "新栏目", ["Input.Slug"] = "xiezuo" });
        using var rename = await admin.SubmitFormAsync($"/admin/channels/{await ChannelIdAsync("shipin")}", Form, new() { ["Input.Slug"] = "xiezuo" });

        foreach (var response in new[] { create, rename })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("旧链接现在跳转到栏目“东西部协作”", (await ParseAsync(response)).QuerySelector("[data-valmsg-for='Input.Slug']").Text());
        }
        await AssertMovedPermanentlyAsync(_factory.CreateReader(), "/channels/xiezuo", "/channels/dongxi");
        await AssertMovedPermanentlyAsync(_factory.CreateReader(), "/channels/shipin", "/videos"); // still the video channel
    }

    [Fact]
    public async Task RenamedSidebarChannel_KeepsFeedingItsSidebar()
    {
        var admin = await SignedInAsync();

        using var response = await admin.SubmitFormAsync($"/admin/channels/{await ChannelIdAsync("yuqing")}", Form, new() { ["Input.Slug"] = "redian" });

        AssertRedirect(response, $"/admin/channels/{await ChannelIdAsync("redian")}");
        var sidebars = await _factory.WithDbAsync(db => db.SidebarSettings.AsNoTracking().SingleAsync());
        Assert.Equal(await ChannelIdAsync("redian"), sidebars.OpinionChannelId);
        var sidebar = (await _factory.CreateReader().GetPageAsync("/")).QuerySelector("#sb-opinion")!;
        Assert.Equal("/channels/redian", sidebar.QuerySelector("a")!.GetAttribute("href"));
        Assert.NotEmpty(sidebar.ParentElement!.QuerySelectorAll("li"));
    }

    [Fact]
    public async Task MoveUnderItselfOrItsDescendant_IsRefused()
    {
        var admin = await SignedInAsync();
        var tuopin = await ChannelIdAsync("tuopin");

        using var self = await admin.SubmitFormAsync($"/admin/channels/{tuopin}", Form, new() { ["Input.ParentId"] = tuopin.ToString() });
        using var child = await admin.SubmitFormAsync($"/admin/channels/{tuopin}", Form,
            new() { ["Input.ParentId"] = (await ChannelIdAsync("chanye")).ToString() });

        Assert.Contains("自己下面", (await ParseAsync(self)).QuerySelector("[data-valmsg-for='Input.ParentId']").Text());
        Assert.Contains("循环", (await ParseAsync(child)).QuerySelector("[data-valmsg-for='Input.ParentId']").Text());
        Assert.Null(await _factory.WithDbAsync(db => db.Channels.Where(c => c.Id == tuopin).Select(c => c.ParentId).SingleAsync()));
        // The form does not even offer them.
        var options = (await admin.GetPageAsync($"/admin/channels/{tuopin}")).QuerySelectorAll("select[name='Input.ParentId'] option")
            .Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain(tuopin.ToString(), options);
        Assert.DoesNotContain((await ChannelIdAsync("chanye")).ToString(), options);
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ChannelMoved)));
    }

    [Fact]
    public async Task MovedChannel_IsListedAndFoundUnderItsNewParent()
    {
        var admin = await SignedInAsync();
        var reader = _factory.CreateReader();
        var query = "/search?q=" + Uri.EscapeDataString("十八洞村") + "&channel=xiezuo";
        var shibadong = await _factory.ArticleIdAsync("shibadong-six-industries");
        Assert.False(Finds(await reader.GetPageAsync(query), shibadong));

        using var response = await admin.SubmitFormAsync($"/admin/channels/{await ChannelIdAsync("chanye")}", Form,
            new() { ["Input.ParentId"] = (await ChannelIdAsync("xiezuo")).ToString() });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(Finds(await reader.GetPageAsync(query), shibadong));
        var xiezuo = await reader.GetPageAsync("/channels/xiezuo");
        Assert.Contains("/channels/chanye", xiezuo.QuerySelectorAll(".subchannels a").Select(a => a.GetAttribute("href")));
        Assert.Contains(xiezuo.QuerySelectorAll(".article-list__title"), t => t.TextContent.Contains("十八洞村"));
        Assert.Equal("上级：脱贫攻坚 → 东西部协作", (await SingleAuditAsync(AuditActions.ChannelMoved)).Details);
    }

    [Fact]
    public async Task Reorder_ChangesTheNavigationOrder()
    {
        var admin = await SignedInAsync();
        var reader = _factory.CreateReader();
        var before = NavigationOf(await reader.GetPageAsync("/"));
        Assert.Equal("/channels/xiezuo", before[0]);

        using var down = await admin.SubmitFormAsync("/admin/channels", "tr[data-slug='xiezuo'] form", new(), "handler=Down");

        AssertRedirect(down, "/admin/channels");
        var after = NavigationOf(await reader.GetPageAsync("/"));
        Assert.Equal([before[1], before[0], .. before[2..]], after);
        using var up = await admin.SubmitFormAsync("/admin/channels", "tr[data-slug='shipin'] form", new(), "handler=Up");
        var last = NavigationOf(await reader.GetPageAsync("/"));
        Assert.Equal([.. after[..^2], after[^1], after[^2]], last);
        Assert.Equal(2, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ChannelReordered)));
        // The first row cannot go further up: its button is disabled, and a forged post changes nothing.
        var list = await admin.GetPageAsync("/admin/channels");
        var firstSlug = list.QuerySelector("tbody tr")!.GetAttribute("data-slug");
        Assert.True(list.QuerySelector($"tr[data-slug='{firstSlug}'] button[formaction*='handler=Up']")!.HasAttribute("disabled"));
        using var forged = await admin.SubmitFormAsync("/admin/channels", $"tr[data-slug='{firstSlug}'] form", new(), "handler=Up");
        Assert.Equal(last, NavigationOf(await reader.GetPageAsync("/")));
        Assert.Contains("已经排在最前", (await admin.GetPageAsync("/admin/channels")).QuerySelector(".flash").Text());
    }

    [Fact]
    public async Task HiddenChannel_LeavesNavigationAndFrontPageButItsPageAnswers()
    {
        var admin = await SignedInAsync();
        var reader = _factory.CreateReader();
        Assert.NotNull((await reader.GetPageAsync("/")).QuerySelector("#block-xiezuo"));

        using var hide = await admin.SubmitFormAsync("/admin/channels", "tr[data-slug='xiezuo'] form", new(), "handler=Hide");

        AssertRedirect(hide, "/admin/channels");
        var front = await reader.GetPageAsync("/");
        Assert.DoesNotContain("/channels/xiezuo", NavigationOf(front));
        Assert.Null(front.QuerySelector("#block-xiezuo"));
        Assert.Equal("东西部协作", (await reader.GetPageAsync("/channels/xiezuo")).QuerySelector("h1").Text());
        using (var feed = await reader.GetAsync("/channels/xiezuo/feed.xml"))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        }
        Assert.Contains("隐藏", (await admin.GetPageAsync("/admin/channels")).QuerySelector("tr[data-slug='xiezuo'] .status-badge").Text());

        using var show = await admin.SubmitFormAsync("/admin/channels", "tr[data-slug='xiezuo'] form", new(), "handler=Show");

        Assert.Contains("/channels/xiezuo", NavigationOf(await reader.GetPageAsync("/")));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ChannelHidden)));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ChannelShown)));
    }

    [Fact]
    public async Task ChannelList_CountsArticlesIncludingSubChannels()
    {
        var admin = await SignedInAsync();
        var counts = await _factory.WithDbAsync(db => db.Articles.GroupBy(a => a.Channel!.Slug).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count));

        var list = await admin.GetPageAsync("/admin/channels");

        string Count(string slug, string which) => list.QuerySelector($"tr[data-slug='{slug}'] [data-count='{which}']").Text();
        Assert.Equal(counts.GetValueOrDefault("tuopin").ToString(), Count("tuopin", "own"));
        Assert.Equal((counts.GetValueOrDefault("tuopin") + counts["chanye"] + counts["jiuye"]).ToString(), Count("tuopin", "all"));
        Assert.Equal(counts["xiezuo"].ToString(), Count("xiezuo", "all"));
        var order = list.QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-slug")).ToList();
        Assert.Equal(order.IndexOf("tuopin") + 1, order.IndexOf("chanye"));
    }

    [Fact]
    public async Task DeleteWithArticles_IsRefusedWithoutATargetAndMovesThemWithOne()
    {
        var admin = await SignedInAsync();
        var xiezuo = await ChannelIdAsync("xiezuo");
        var tuopin = await ChannelIdAsync("tuopin");
        var articles = await _factory.WithDbAsync(db => db.Articles.Where(a => a.ChannelId == xiezuo).Select(a => a.Id).ToListAsync());
        Assert.NotEmpty(articles);
        var reader = _factory.CreateReader();
        var query = "/search?q=" + Uri.EscapeDataString("联席会议") + "&channel=tuopin";
        var delegation = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        Assert.False(Finds(await reader.GetPageAsync(query), delegation));

        using var refused = await admin.SubmitFormAsync($"/admin/channels/{xiezuo}/delete", "form.channels-delete-form", new() { ["TargetId"] = "" });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains($"下还有 {articles.Count} 篇稿件", (await ParseAsync(refused)).QuerySelector(".form-errors").Text());
        Assert.True(await _factory.WithDbAsync(db => db.Channels.AnyAsync(c => c.Id == xiezuo)));

        using var deleted = await admin.SubmitFormAsync($"/admin/channels/{xiezuo}/delete", "form.channels-delete-form", new() { ["TargetId"] = tuopin.ToString() });

        AssertRedirect(deleted, "/admin/channels");
        Assert.False(await _factory.WithDbAsync(db => db.Channels.AnyAsync(c => c.Id == xiezuo)));
        Assert.Equal(articles.Order(), await _factory.WithDbAsync(db => db.Articles.Where(a => a.ChannelId == tuopin).Select(a => a.Id).Order().ToListAsync()));
        Assert.True(Finds(await reader.GetPageAsync(query), delegation));
        Assert.DoesNotContain("/channels/xiezuo", NavigationOf(await reader.GetPageAsync("/")));
        await AssertMovedPermanentlyAsync(reader, "/channels/xiezuo?page=2", "/channels/tuopin?page=2");
        var listing = await reader.GetPageAsync("/channels/tuopin");
        Assert.Contains(listing.QuerySelectorAll(".article-list__title"), t => t.TextContent.Contains("联席会议"));
        var entry = await SingleAuditAsync(AuditActions.ChannelDeleted);
        Assert.Contains($"{articles.Count} 篇稿件、0 个子栏目移至“脱贫攻坚”", entry.Details);
        Assert.Contains("已删除", (await admin.GetPageAsync("/admin/channels")).QuerySelector(".flash").Text());
    }

    [Fact]
    public async Task DeleteWithSubChannels_MovesThemUnderTheTarget()
    {
        var admin = await SignedInAsync();
        var tuopin = await ChannelIdAsync("tuopin");
        var shipin = await ChannelIdAsync("shipin");

        using var inside = await admin.SubmitFormAsync($"/admin/channels/{tuopin}/delete", "form.channels-delete-form",
            new() { ["TargetId"] = (await ChannelIdAsync("chanye")).ToString() });
        Assert.Contains("不能是要删除的栏目本身或它的子栏目", (await ParseAsync(inside)).QuerySelector(".form-errors").Text());

        using var deleted = await admin.SubmitFormAsync($"/admin/channels/{tuopin}/delete", "form.channels-delete-form", new() { ["TargetId"] = shipin.ToString() });

        AssertRedirect(deleted, "/admin/channels");
        var children = await _factory.WithDbAsync(db => db.Channels.Where(c => c.ParentId == shipin).Select(c => c.Slug).ToListAsync());
        Assert.Equal(["chanye", "jiuye"], children.Order());
        var query = "/search?q=" + Uri.EscapeDataString("十八洞村") + "&channel=shipin";
        Assert.True(Finds(await _factory.CreateReader().GetPageAsync(query), await _factory.ArticleIdAsync("shibadong-six-industries")));
    }

    [Fact]
    public async Task DeleteOfASidebarChannel_IsRefusedWithTheReason()
    {
        var admin = await SignedInAsync();
        var yuqing = await ChannelIdAsync("yuqing");

        var page = await admin.GetPageAsync($"/admin/channels/{yuqing}/delete");
        Assert.Contains("正在为侧栏“热点舆情”供稿", page.QuerySelector(".channels-refusal").Text());
        Assert.Null(page.QuerySelector("form.channels-delete-form"));
        var token = Newsroom.FieldsOf(page, "form.admin-signout").Where(f => f.Key == "__RequestVerificationToken");
        using var forced = await admin.PostAsync($"/admin/channels/{yuqing}/delete",
            new FormUrlEncodedContent([.. token, new("TargetId", (await ChannelIdAsync("xiezuo")).ToString())]));

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Contains("侧栏设置", (await ParseAsync(forced)).QuerySelector(".channels-refusal, .form-errors").Text());
        Assert.True(await _factory.WithDbAsync(db => db.Channels.AnyAsync(c => c.Id == yuqing)));
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ChannelDeleted)));
    }

    [Fact]
    public async Task EmptyChannel_IsDeletedWithoutATargetAndItsPageIsGone()
    {
        var admin = await SignedInAsync();
        (await admin.SubmitFormAsync("/admin/channels/new", Form, new() { ["Input.Name"] = "临时", ["Input.Slug"] = "linshi" })).Dispose();
        var id = await ChannelIdAsync("linshi");

        using var deleted = await admin.SubmitFormAsync($"/admin/channels/{id}/delete", "form.channels-delete-form", new());

        AssertRedirect(deleted, "/admin/channels");
        await _factory.CreateReader().GetPageAsync("/channels/linshi", 404);
        Assert.Contains("无稿件、无子栏目", (await SingleAuditAsync(AuditActions.ChannelDeleted)).Details);
        await admin.GetPageAsync($"/admin/channels/{id}", 404);
        await admin.GetPageAsync($"/admin/channels/{id}/delete", 404);
    }

    [Fact]
    public async Task StaleEditForm_IsRefusedKeepingTheInput()
    {
        var admin = await SignedInAsync();
        var id = await ChannelIdAsync("shipin");
        var stale = (await admin.GetPageAsync($"/admin/channels/{id}")).QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!;
        (await admin.SubmitFormAsync($"/admin/channels/{id}", Form, new() { ["Input.Name"] = "视频专题" })).Dispose();

        using var response = await admin.SubmitFormAsync($"/admin/channels/{id}", Form, new() { ["Input.Name"] = "视频新闻", ["Input.Version"] = stale });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("栏目已被他人修改（现在：名称“视频专题”", page.QuerySelector(".form-errors").Text());
        Assert.Equal("视频新闻", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal("视频专题", await _factory.WithDbAsync(db => db.Channels.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));

        // Saving again from the re-shown form overwrites knowingly.
        var again = Newsroom.FieldsOf(page, Form);
        using var overwrite = await admin.PostAsync($"/admin/channels/{id}", new FormUrlEncodedContent(again));
        Assert.Equal(HttpStatusCode.Redirect, overwrite.StatusCode);
        Assert.Equal("视频新闻", await _factory.WithDbAsync(db => db.Channels.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
    }

    [Theory]
    [InlineData(NewsRoles.Editor)]
    [InlineData(NewsRoles.Reporter)]
    public async Task OtherRoles_Get403AndChangeNothing(string role)
    {
        var client = await SignedInAsync(role);
        var id = await ChannelIdAsync("xiezuo");

        foreach (var url in new[] { "/admin/channels", "/admin/channels/new", $"/admin/channels/{id}", $"/admin/channels/{id}/delete" })
        {
            using var get = await client.GetAsync(url);
            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"GET {url} answered {(int)get.StatusCode}");
        }
        var dashboard = await client.GetPageAsync("/admin");
        Assert.Null(dashboard.QuerySelector(".admin-nav a[href='/admin/channels']"));
        var token = Newsroom.FieldsOf(dashboard, "form.admin-signout").Where(f => f.Key == "__RequestVerificationToken").ToList();
        foreach (var url in new[] { $"/admin/channels?id={id}&handler=Hide", $"/admin/channels/{id}/delete", $"/admin/channels/{id}" })
        {
            using var post = await client.PostAsync(url, new FormUrlEncodedContent([.. token, new("Input.Name", "改名"), new("TargetId", "")]));
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {url} answered {(int)post.StatusCode}");
        }
        var channel = await _factory.WithDbAsync(db => db.Channels.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(("东西部协作", false), (channel.Name, channel.IsHidden));
    }

    [Fact]
    public async Task EditorInChief_ManagesChannelsAndSeesTheNavLink()
    {
        var chief = await SignedInAsync(NewsRoles.EditorInChief);

        var dashboard = await chief.GetPageAsync("/admin");
        Assert.NotNull(dashboard.QuerySelector(".admin-nav a[href='/admin/channels']"));
        using var hide = await chief.SubmitFormAsync("/admin/channels", "tr[data-slug='shipin'] form", new(), "handler=Hide");

        AssertRedirect(hide, "/admin/channels");
        Assert.True(await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "shipin").Select(c => c.IsHidden).SingleAsync()));
        Assert.Equal("chief@example.com", (await SingleAuditAsync(AuditActions.ChannelHidden)).UserName);
    }

    [Fact]
    public async Task AuditLog_ShowsChannelActionsByTheirChineseNames()
    {
        var admin = await SignedInAsync();
        (await admin.SubmitFormAsync("/admin/channels", "tr[data-slug='shipin'] form", new(), "handler=Hide")).Dispose();

        var page = await admin.GetPageAsync("/admin/audit?action=" + AuditActions.ChannelHidden);

        Assert.Contains("隐藏栏目", page.QuerySelector("tbody").Text());
        Assert.Contains(page.QuerySelectorAll("select option"), o => o.GetAttribute("value") == AuditActions.ChannelDeleted && o.TextContent.Contains("删除栏目"));
    }

    [Fact]
    public async Task AnonymousVisitor_IsSentToSignIn()
    {
        using var response = await _factory.CreateReader().GetAsync("/admin/channels");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/signin", response.Headers.Location!.AbsolutePath);
    }

    private async Task<HttpClient> SignedInAsync(string role = NewsRoles.Administrator)
    {
        var email = role == NewsRoles.Administrator ? Admin : role == NewsRoles.EditorInChief ? "chief@example.com" : $"{role.ToLowerInvariant()}@example.com";
        await _factory.CreateUserAsync(email, role);
        return await _factory.SignInAsync(email);
    }

    private Task<int> ChannelIdAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private Task<AuditEntry> SingleAuditAsync(string action) => _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == action));

    private static List<string> NavigationOf(IHtmlDocument page) =>
        page.QuerySelectorAll(".site-nav a").Select(a => a.GetAttribute("href")!).Where(h => h.StartsWith("/channels/", StringComparison.Ordinal) || h == "/videos").ToList(); // 视频 is /videos

    private static bool Finds(IHtmlDocument page, int id) =>
        page.QuerySelectorAll(".search-result__title a").Any(a => a.GetAttribute("href")!.StartsWith($"/articles/{id}/", StringComparison.Ordinal));

    private static void AssertRedirect(HttpResponseMessage response, string location)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"answered {(int)response.StatusCode}, expected a redirect to {location}");
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    private static async Task AssertMovedPermanentlyAsync(HttpClient client, string url, string location)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.MovedPermanently, $"GET {url} answered {(int)response.StatusCode}, expected 301");
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}
