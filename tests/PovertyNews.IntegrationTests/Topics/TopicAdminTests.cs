using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Topics;

/// <summary>
/// 专题 in the newsroom (/admin/topics): editors make a topic through the real forms — fields, sections from a tag, a
/// channel or hand-picked reports, a timeline — and publish it; refusals come back as the form with Chinese
/// messages and a 4xx; reporters are refused.
/// </summary>
public sealed class TopicAdminTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, string?> Fields(string title, string slug) => new()
    {
        ["Input.Title"] = title, ["Input.Slug"] = slug, ["Input.Introduction"] = "**湘西**的协作报道。<script>alert(1)</script>",
        ["Input.Position"] = "1", ["Input.ShowOnFrontPage"] = "true",
    };

    private async Task<int> CreateAsync(HttpClient editor, string title, string slug)
    {
        using var response = await editor.SubmitFormAsync("/admin/topics/new", "#topic-form", Fields(title, slug));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Editor_MakesATopicThroughTheForms_AndReadersSeeItOncePublished()
    {
        var editor = await _factory.SignInAsync("editor@example.com");
        var id = await CreateAsync(editor, "十八洞村专题", "shibadong");
        var url = $"/admin/topics/{id}";
        var reader = _factory.CreateReader();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/topics/shibadong")).StatusCode);

        using (var tagSection = await editor.SubmitFormAsync(url, "#section-add", new() { ["Section.Title"] = "村里的产业", ["Section.Source"] = "Tag", ["Section.Tag"] = "十八洞村", ["Section.MaxItems"] = "2" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, tagSection.StatusCode);
        }
        var channelId = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        using (var channelSection = await editor.SubmitFormAsync(url, "#section-add", new() { ["Section.Title"] = "协作动态", ["Section.Source"] = "Channel", ["Section.ChannelId"] = $"{channelId}" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, channelSection.StatusCode);
        }
        using (var picked = await editor.SubmitFormAsync(url, "#section-add", new() { ["Section.Title"] = "编辑推荐", ["Section.Source"] = "Articles" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        }
        var sections = await _factory.WithDbAsync(db => db.TopicSections.Where(s => s.TopicId == id).OrderBy(s => s.Position).Select(s => s.Id).ToListAsync());
        var first = await _factory.ArticleIdAsync("aizhai-bridge");
        var second = await _factory.ArticleIdAsync("shibadong-village-tourism");
        foreach (var article in new[] { $"{first}", $"/articles/{second}/shibadong-village-tourism" })
        {
            using var add = await editor.SubmitFormAsync($"{url}/sections/{sections[2]}", "#article-add", new() { ["Article"] = article });
            Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        }
        // The hand-picked section goes first; the second report moves above the first.
        for (var i = 0; i < 2; i++)
        {
            using var up = await editor.SubmitFormAsync(url, $"#topic-sections li[data-section='{sections[2]}'] form", [], "delta=-1");
            Assert.Equal(HttpStatusCode.Redirect, up.StatusCode);
        }
        using (var up = await editor.SubmitFormAsync($"{url}/sections/{sections[2]}", $"#section-articles li[data-article='{second}'] form", [], "delta=-1"))
        {
            Assert.Equal(HttpStatusCode.Redirect, up.StatusCode);
        }
        using (var entry = await editor.SubmitFormAsync(url, "#timeline-add", new() { ["Entry.Date"] = "2020-06-21", ["Entry.Text"] = "代表团到十八洞村考察", ["Entry.Article"] = $"{second}" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, entry.StatusCode);
        }
        using (var publish = await editor.SubmitFormAsync(url, "#topic-publish", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        }

        var page = await reader.GetPageAsync("/topics/shibadong");
        Assert.Equal("十八洞村专题", page.QuerySelector("h1").Text());
        Assert.Equal(["编辑推荐", "村里的产业", "协作动态"], page.QuerySelectorAll(".topic-section > h2").Select(h => h.Text()).ToList());
        Assert.Equal(["十八洞村：乡村游、村容村貌与村民服务中心", "济南市党政代表团考察矮寨大桥建设运维与旅游开发"],
            page.QuerySelectorAll(".topic-section")[0].QuerySelectorAll(".article-list__title").Select(t => t.Text()).ToList());
        Assert.Equal(2, page.QuerySelectorAll(".topic-section")[1].QuerySelectorAll(".article-list__item").Length);
        // The introduction went through the articles' Markdown renderer and sanitiser.
        Assert.Equal("湘西", page.QuerySelector(".topic__intro strong").Text());
        Assert.Null(page.QuerySelector(".topic__intro script"));
        Assert.Equal("代表团到十八洞村考察", page.QuerySelector(".timeline__text a").Text());
        Assert.NotNull((await reader.GetPageAsync("/")).QuerySelector(".front-topics a[href='/topics/shibadong']"));
        // Three sections, two reports picked, three moves.
        Assert.Equal(8, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Target == $"topic:{id}" && e.Action == AuditActions.TopicSectionsChanged)));
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Target == $"topic:{id}" && e.Action == AuditActions.TopicPublished)));
    }

    [Theory]
    [InlineData("Bad Slug", "网址别名只能使用小写英文字母")]
    [InlineData("dongxibu-xiezuo", "已被另一个专题使用")]
    [InlineData("admin", "网站保留的词")]
    public async Task BadSlug_ComesBackAsTheForm_WithAChineseMessage_And400(string slug, string message)
    {
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await editor.SubmitFormAsync("/admin/topics/new", "#topic-form", Fields("新专题", slug));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.Slug']").Text());
        Assert.Equal("新专题", (page.QuerySelector("#Input_Title") as AngleSharp.Html.Dom.IHtmlInputElement)!.Value);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.Topics.CountAsync()));
    }

    [Fact]
    public async Task SectionFromAMissingTag_OrAWrongCount_IsRefusedWithMessages()
    {
        var editor = await _factory.SignInAsync("editor@example.com");
        var id = await _factory.WithDbAsync(db => db.Topics.Where(t => t.Slug == "dongxibu-xiezuo").Select(t => t.Id).SingleAsync());
        var before = await _factory.WithDbAsync(db => db.TopicSections.CountAsync());

        using var response = await editor.SubmitFormAsync($"/admin/topics/{id}", "#section-add",
            new() { ["Section.Title"] = "", ["Section.Source"] = "Tag", ["Section.Tag"] = "没有这个标签", ["Section.MaxItems"] = "500" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains("请填写栏目标题", page.QuerySelector("[data-valmsg-for='Section.Title']").Text());
        Assert.Contains("没有标签“没有这个标签”", page.QuerySelector("[data-valmsg-for='Section.Tag']").Text());
        Assert.Contains("显示条数应为", page.QuerySelector("[data-valmsg-for='Section.MaxItems']").Text());
        Assert.Equal(before, await _factory.WithDbAsync(db => db.TopicSections.CountAsync()));

        using var date = await editor.SubmitFormAsync($"/admin/topics/{id}", "#timeline-add", new() { ["Entry.Date"] = "6月21日", ["Entry.Text"] = "考察" });
        Assert.Equal(HttpStatusCode.BadRequest, date.StatusCode);
        Assert.Contains("年-月-日", (await date.ReadPageAsync()).QuerySelector("[data-valmsg-for='Entry.Date']").Text());
    }

    [Fact]
    public async Task PublishedTopic_MustBeUnpublishedBeforeDeletion()
    {
        var editor = await _factory.SignInAsync("editor@example.com");
        var id = await _factory.WithDbAsync(db => db.Topics.Where(t => t.Slug == "dongxibu-xiezuo").Select(t => t.Id).SingleAsync());
        var page = await editor.GetPageAsync($"/admin/topics/{id}");
        Assert.Null(page.QuerySelector("#topic-delete"));

        using (var unpublish = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-unpublish", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, unpublish.StatusCode);
        }
        using (var delete = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-delete", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }
        Assert.Equal(0, await _factory.WithDbAsync(db => db.TopicTimelineEntries.CountAsync()));
        // The reports stay; only the topic and its parts go.
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateReader().GetAsync($"/articles/{await _factory.ArticleIdAsync("joint-meeting-signing")}")).StatusCode);
    }

    [Fact]
    public async Task TopicText_GoesThroughTheWordList_BlockedRefused_ReplacedMasked_AndPublishingChecksAgain()
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var admin = await _factory.SignInAsync("admin@example.com");
        await admin.AddWordAsync("专题禁用词", "Block");
        await admin.AddWordAsync("专题替换词", "Replace");
        await admin.AddWordAsync("专题提示词", "Flag");
        var editor = await _factory.SignInAsync("editor@example.com");

        // Topics reach readers without 三审, so a blocked word refuses the save itself, wherever it is in the form.
        var blocked = Fields("有专题禁用词的专题", "blocked-topic");
        blocked["Input.Introduction"] = "导语里也有**专题禁 用词**。";
        using (var refused = await editor.SubmitFormAsync("/admin/topics/new", "#topic-form", blocked))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = await refused.ReadPageAsync();
            Assert.Contains("禁止使用的敏感词", page.QuerySelector("[data-valmsg-for='Input.Title']").Text());
            Assert.Contains("导语第 1 行", page.QuerySelector("[data-valmsg-for='Input.Introduction']").Text());
        }
        Assert.False(await _factory.WithDbAsync(db => db.Topics.AnyAsync(t => t.Slug == "blocked-topic")));

        var fields = Fields("协作专题", "masked-topic");
        fields["Input.Introduction"] = "这里有专题替换词，也有专题提示词。";
        using (var saved = await editor.SubmitFormAsync("/admin/topics/new", "#topic-form", fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var flash = (await editor.GetPageAsync(saved.Headers.Location!.OriginalString)).QuerySelector(".flash")?.Text() ?? "";
            Assert.Contains("专题替换词", flash);
            Assert.Contains("请核实用词：“专题提示词”", flash);
        }
        var topic = await _factory.WithDbAsync(db => db.Topics.Where(t => t.Slug == "masked-topic").Select(t => new { t.Id, t.IntroductionMarkdown }).SingleAsync());
        var id = topic.Id;
        Assert.Equal("这里有＊＊＊＊＊，也有专题提示词。", topic.IntroductionMarkdown);

        using (var section = await editor.SubmitFormAsync($"/admin/topics/{id}", "#section-add",
                   new() { ["Section.Title"] = "专题禁用词栏目", ["Section.Source"] = "Articles" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, section.StatusCode);
        }
        using (var entry = await editor.SubmitFormAsync($"/admin/topics/{id}", "#timeline-add",
                   new() { ["Entry.Date"] = "2020-06-21", ["Entry.Text"] = "专题禁用词" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, entry.StatusCode);
        }

        // A word listed after the topic was saved still keeps it from readers: publishing reads the whole topic again.
        using (var timeline = await editor.SubmitFormAsync($"/admin/topics/{id}", "#timeline-add",
                   new() { ["Entry.Date"] = "2020-06-21", ["Entry.Text"] = "代表团到湘西考察后来被列入词表" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, timeline.StatusCode);
        }
        await admin.AddWordAsync("后来被列入词表", "Block");
        using (var publish = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-publish", []))
        {
            Assert.Equal(HttpStatusCode.BadRequest, publish.StatusCode);
            var page = await publish.ReadPageAsync();
            Assert.Contains("专题含有禁止使用的敏感词（“后来被列入词表”），不能发布", page.QuerySelector(".form-errors").Text());
            Assert.Contains("大事记", page.QuerySelector(".form-errors").Text());
        }
        Assert.False(await _factory.WithDbAsync(db => db.Topics.Where(t => t.Id == id).Select(t => t.IsPublished).SingleAsync()));
    }

    [Fact]
    public async Task RenamedTopic_OldAddressAndFeed_RedirectPermanently_AndNoOtherTopicTakesTheOldSlug()
    {
        var editor = await _factory.SignInAsync("editor@example.com");
        var id = await _factory.WithDbAsync(db => db.Topics.Where(t => t.Slug == "dongxibu-xiezuo").Select(t => t.Id).SingleAsync());
        var reader = _factory.CreateReader();
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/topics/dongxibu-xiezuo")).StatusCode); // cached now

        using (var renamed = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-form", new() { ["Input.Slug"] = "xiezuo-zhuanti" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        }

        using (var old = await reader.GetAsync("/topics/dongxibu-xiezuo"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
            Assert.Equal("/topics/xiezuo-zhuanti", old.Headers.Location!.OriginalString);
        }
        using (var feed = await reader.GetAsync("/topics/dongxibu-xiezuo/feed.xml"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, feed.StatusCode);
            Assert.Equal("/topics/xiezuo-zhuanti/feed.xml", feed.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/topics/xiezuo-zhuanti")).StatusCode);

        using (var taken = await editor.SubmitFormAsync("/admin/topics/new", "#topic-form", Fields("另一个专题", "dongxibu-xiezuo")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
            Assert.Contains("旧链接现在跳转到专题", (await taken.ReadPageAsync()).QuerySelector("[data-valmsg-for='Input.Slug']").Text());
        }

        // Going back: the old address is the topic's own again, and the interim one redirects.
        using (var back = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-form", new() { ["Input.Slug"] = "dongxibu-xiezuo" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/topics/dongxibu-xiezuo")).StatusCode);
        using (var interim = await reader.GetAsync("/topics/xiezuo-zhuanti"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, interim.StatusCode);
        }
        Assert.Equal(["xiezuo-zhuanti"], await _factory.WithDbAsync(db => db.TopicRedirects.Select(r => r.OldSlug).ToListAsync()));

        // An unpublished topic's old address is as gone as the topic.
        using (var unpublish = await editor.SubmitFormAsync($"/admin/topics/{id}", "#topic-unpublish", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, unpublish.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/topics/xiezuo-zhuanti")).StatusCode);
    }

    [Fact]
    public async Task Reporters_AreRefused_AndSeeNoLink()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");

        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("/admin/topics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("/admin/topics/new")).StatusCode);
        Assert.Null((await reporter.GetPageAsync("/admin")).QuerySelector("a[href='/admin/topics']"));
        Assert.NotNull((await (await _factory.SignInAsync("editor@example.com")).GetPageAsync("/admin")).QuerySelector("a[href='/admin/topics']"));
    }
}
