using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Topics;

/// <summary>
/// 专题 for readers: /topics and /topics/{slug} show published topics only; each section lists the newest visible
/// reports of its tag or channel (sub-channels included) or the hand-picked ones in their order; drafts and reports
/// scheduled for later never show; the cached pages show a change on the next request; the sitemaps and the topic's
/// feed list it.
/// </summary>
public sealed class TopicsTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private const string SampleUrl = "/topics/dongxibu-xiezuo";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static List<string> SectionTitles(IHtmlDocument page) =>
        page.QuerySelectorAll(".topic-section > h2").Select(h => h.Text()).ToList();

    private static List<string> ItemTitles(IHtmlDocument page, string section) =>
        page.QuerySelectorAll(".topic-section").Single(s => s.QuerySelector("h2").Text() == section)
            .QuerySelectorAll(".article-list__title").Select(t => t.Text()).ToList();

    private Task<int> ChannelIdAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private Task<int> AddArticleAsync(ArticleBuilder builder) => _factory.WithDbAsync(async db =>
    {
        var article = builder.Build();
        // Tags saved before are attached as they are (with the reports they already carry), not inserted again.
        foreach (var tag in article.Tags.Where(t => t.Id != 0))
        {
            db.Attach(tag);
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    /// <summary>A published topic with one section per source, saved as the newsroom would.</summary>
    private Task<int> TopicAsync(string slug, bool published, params TopicSection[] sections) => _factory.WithDbAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var topic = new Topic
        {
            Slug = slug, Title = $"测试专题{slug}", IntroductionMarkdown = "导语", IntroductionHtml = "<p>导语</p>", IsPublished = published,
            PublishedAt = published ? now : null, CreatedAt = now, UpdatedAt = now, Sections = [.. sections],
        };
        db.Topics.Add(topic);
        await db.SaveChangesAsync();
        return topic.Id;
    });

    private async Task<Tag> TagAsync(string name) => await _factory.WithDbAsync(async db =>
        await db.Tags.SingleOrDefaultAsync(t => t.Name == name) ?? db.Tags.Add(new Tag { Name = name }).Entity);

    [Fact]
    public async Task SampleTopic_ShowsSectionsInOrder_HandPickedInTheirOrder_ChannelWithSubChannels_AndTheTimeline()
    {
        var page = await _factory.CreateReader().GetPageAsync(SampleUrl);

        Assert.Equal("东西部扶贫协作", page.QuerySelector("h1").Text());
        Assert.Equal(["重点报道", "协作动态", "产业与就业", "走进十八洞村"], SectionTitles(page));
        Assert.Equal(["济南市党政代表团赴湘西考察扶贫协作并出席高层联席会议", "济南市—湘西州扶贫协作高层联席会议召开 两家企业与湘西州签约",
            "济南提出对湘西扶贫协作下一步四个方向"], ItemTitles(page, "重点报道"));
        // The tag section above takes the reports it shares with the channel section below: a report shows once.
        var cooperation = ItemTitles(page, "协作动态");
        Assert.Equal(6, cooperation.Count);
        Assert.Contains("周生堂生物科技以精深加工和猕猴桃基地分红带动750人脱贫", cooperation);
        // 脱贫攻坚 has no reports of its own: this one comes from its sub-channel 产业扶贫.
        Assert.Equal(["十八洞村培育六大支柱产业 全村人均年收入达14668元"], ItemTitles(page, "产业与就业"));
        var all = page.QuerySelectorAll(".topic-section .article-list__title").Select(t => t.Text()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        // The draft carries the section's tag, and shows nowhere.
        Assert.DoesNotContain("草稿", page.QuerySelector("main").Text());
        var timeline = page.QuerySelectorAll(".timeline__entry").ToList();
        Assert.Equal(3, timeline.Count);
        Assert.Equal(["2020-06-21", "2020-06-22", "2020-06-22"], timeline.Select(e => e.QuerySelector("time")!.GetAttribute("datetime")!).ToList());
        Assert.All(timeline, e => Assert.StartsWith("/articles/", e.QuerySelector("a")!.GetAttribute("href")));

        Assert.Equal("http://localhost/topics/dongxibu-xiezuo", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("/topics/dongxibu-xiezuo/feed.xml", page.QuerySelector("link[rel=alternate][title*='东西部扶贫协作']")!.GetAttribute("href"));
        Assert.StartsWith("东西部扶贫协作", page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        // The banner is the share picture, once, and the head claims no 1200 × 630 size for it.
        Assert.EndsWith("/images/samples/topic-dongxibu.jpg", Assert.Single(page.QuerySelectorAll("meta[property='og:image']")).GetAttribute("content"));
        Assert.Null(page.QuerySelector("meta[property='og:image:width']"));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal("CollectionPage", json.RootElement.GetProperty("@type").GetString());
        Assert.Equal("东西部扶贫协作", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(["首页", "专题", "东西部扶贫协作"], page.QuerySelectorAll(".breadcrumbs a").Select(a => a.Text()).ToList());
    }

    [Fact]
    public async Task AReport_ShowsOncePerTopic_HandPickedFirst_ThenTagAndChannelSectionsListOthers()
    {
        var tag = await TagAsync("去重测试");
        var channel = await ChannelIdAsync("xiezuo");
        var now = DateTime.UtcNow;
        var picked = await AddArticleAsync(new ArticleBuilder(channel, "手选且带标签").Tags(tag).PublishedAt(now.AddHours(-1)));
        await AddArticleAsync(new ArticleBuilder(channel, "只带标签").Tags(tag).PublishedAt(now.AddHours(-2)));
        for (var i = 1; i <= 3; i++)
        {
            await AddArticleAsync(new ArticleBuilder(channel, $"栏目稿件{i}").PublishedAt(now.AddHours(-2 - i)));
        }
        await TopicAsync("dedupe", published: true,
            new TopicSection { Title = "按标签", Position = 1, Source = TopicSectionSource.Tag, TagId = tag.Id, MaxItems = 5 },
            new TopicSection { Title = "按栏目", Position = 2, Source = TopicSectionSource.Channel, ChannelId = channel, MaxItems = 3 },
            new TopicSection
            {
                Title = "编辑手选", Position = 3, Source = TopicSectionSource.Articles,
                Articles = [new TopicSectionArticle { ArticleId = picked, Position = 1 }],
            });

        var page = await _factory.CreateReader().GetPageAsync("/topics/dedupe");

        Assert.Equal(["手选且带标签"], ItemTitles(page, "编辑手选"));
        Assert.Equal(["只带标签"], ItemTitles(page, "按标签"));
        // The channel section still fills its three places, with the newest reports no section above it has shown.
        Assert.Equal(["栏目稿件1", "栏目稿件2", "栏目稿件3"], ItemTitles(page, "按栏目"));
    }

    [Fact]
    public async Task DraftAndScheduledReports_NeverShow_InTagOrHandPickedSections()
    {
        var channel = await ChannelIdAsync("xiezuo");
        var tag = await TagAsync("测试专题标签");
        var visibleOld = await AddArticleAsync(new ArticleBuilder(channel, "可见的较早报道").PublishedAt(DateTime.UtcNow.AddDays(-3)).Tags(tag));
        var visibleNew = await AddArticleAsync(new ArticleBuilder(channel, "可见的较新报道").PublishedAt(DateTime.UtcNow.AddDays(-1)).Tags(tag));
        var draft = await AddArticleAsync(new ArticleBuilder(channel, "还是草稿的报道").Draft().Tags(tag));
        var scheduled = await AddArticleAsync(new ArticleBuilder(channel, "明天才发布的报道").PublishedAt(DateTime.UtcNow.AddDays(1)).Tags(tag));
        var withdrawn = await AddArticleAsync(new ArticleBuilder(channel, "已撤回的报道").Withdrawn().Tags(tag));
        // Two topics: on one page a report shows once, so the hand-picked section would hide it from the tag section.
        await TopicAsync("visibility-test", true,
            new TopicSection { Title = "按标签", Position = 1, Source = TopicSectionSource.Tag, TagId = tag.Id },
            new TopicSection { Title = "空栏目", Position = 3, Source = TopicSectionSource.Tag, TagId = null });
        await TopicAsync("visibility-picked", true,
            new TopicSection
            {
                Title = "手选", Position = 1, Source = TopicSectionSource.Articles,
                Articles = [new() { ArticleId = visibleOld, Position = 1 }, new() { ArticleId = draft, Position = 2 },
                    new() { ArticleId = scheduled, Position = 3 }, new() { ArticleId = withdrawn, Position = 4 }, new() { ArticleId = visibleNew, Position = 5 }],
            });

        var page = await _factory.CreateReader().GetPageAsync("/topics/visibility-test");
        var picked = await _factory.CreateReader().GetPageAsync("/topics/visibility-picked");

        Assert.Equal(["可见的较新报道", "可见的较早报道"], ItemTitles(page, "按标签"));
        // The editors' order, not the newest first.
        Assert.Equal(["可见的较早报道", "可见的较新报道"], ItemTitles(picked, "手选"));
        // A section with nothing to show is left out.
        Assert.Equal(["按标签"], SectionTitles(page));
        var feed = XDocument.Parse(await _factory.CreateReader().GetStringAsync("/topics/visibility-test/feed.xml"));
        Assert.Equal(["可见的较新报道", "可见的较早报道"], feed.Descendants("item").Select(i => i.Element("title")!.Value).ToList());
    }

    [Fact]
    public async Task UnpublishedOrUnknownTopic_Answers404_AndIsListedNowhere()
    {
        await TopicAsync("draft-topic", false);
        var reader = _factory.CreateReader();

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/topics/draft-topic")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/topics/draft-topic/feed.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/topics/no-such-topic")).StatusCode);
        var list = await reader.GetPageAsync("/topics");
        Assert.Equal(["东西部扶贫协作"], list.QuerySelectorAll(".topic-card__title").Select(t => t.Text()).ToList());
        Assert.DoesNotContain("draft-topic", await reader.GetStringAsync("/sitemap.xml"));
    }

    [Fact]
    public async Task CachedTopicPage_ShowsANewReport_AnEditedTopic_AndAWithdrawal_OnTheNextRequest()
    {
        var reader = _factory.CreateReader();
        await reader.GetPageAsync(SampleUrl);
        using (var second = await reader.GetAsync(SampleUrl))
        {
            Assert.NotNull(second.Headers.Age); // served from the output cache
        }

        var tag = await TagAsync("东西部扶贫协作");
        var id = await AddArticleAsync(new ArticleBuilder(await ChannelIdAsync("xiezuo"), "济南湘西协作新进展").PublishedAt(DateTime.UtcNow.AddMinutes(-1)).Tags(tag));
        using (var after = await reader.GetAsync(SampleUrl))
        {
            Assert.Null(after.Headers.Age); // evicted, rendered again
        }
        Assert.Equal("济南湘西协作新进展", ItemTitles(await reader.GetPageAsync(SampleUrl), "协作动态")[0]);

        await _factory.WithDbAsync(async db =>
        {
            var topic = await db.Topics.SingleAsync(t => t.Slug == "dongxibu-xiezuo");
            topic.Title = "东西部扶贫协作（更新）";
            await db.SaveChangesAsync();
        });
        Assert.Equal("东西部扶贫协作（更新）", (await reader.GetPageAsync(SampleUrl)).QuerySelector("h1").Text());
        Assert.Contains("东西部扶贫协作（更新）", (await reader.GetPageAsync("/topics")).QuerySelector(".topic-cards").Text());
        Assert.Contains("东西部扶贫协作（更新）", (await reader.GetPageAsync("/")).QuerySelector(".front-topics").Text());
        using (var cached = await reader.GetAsync(SampleUrl))
        {
            Assert.NotNull(cached.Headers.Age); // the withdrawal below must evict a cached page
        }

        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Withdraw();
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain("济南湘西协作新进展", ItemTitles(await reader.GetPageAsync(SampleUrl), "协作动态"));
    }

    [Fact]
    public async Task CachedTopicPage_ShowsAnEditedReport_ThatNoOtherCachedPartShows()
    {
        // An old report in a hidden channel: in no sidebar, front-page block or latest list, so only the topic's own
        // eviction can bring its new title to the cached topic page.
        var channel = await _factory.WithDbAsync(async db =>
        {
            var hidden = db.Channels.Add(new Channel { Slug = "topic-hidden", Name = "存档", IsHidden = true }).Entity;
            await db.SaveChangesAsync();
            return hidden.Id;
        });
        var old = await AddArticleAsync(new ArticleBuilder(channel, "十年前的旧报道").PublishedAt(new DateTime(2010, 1, 5, 0, 0, 0, DateTimeKind.Utc)));
        await TopicAsync("old-report", true, new TopicSection
        {
            Title = "旧闻", Position = 1, Source = TopicSectionSource.Articles, Articles = [new() { ArticleId = old, Position = 1 }],
        });
        var reader = _factory.CreateReader();
        Assert.Equal(["十年前的旧报道"], ItemTitles(await reader.GetPageAsync("/topics/old-report"), "旧闻"));
        using (var cached = await reader.GetAsync("/topics/old-report"))
        {
            Assert.NotNull(cached.Headers.Age);
        }

        await _factory.WithDbAsync(async db =>
        {
            (await db.Articles.SingleAsync(a => a.Id == old)).Title = "十年前的旧报道（更正标题）";
            await db.SaveChangesAsync();
        });

        Assert.Equal(["十年前的旧报道（更正标题）"], ItemTitles(await reader.GetPageAsync("/topics/old-report"), "旧闻"));
    }

    [Fact]
    public async Task Unpublishing_TakesTheTopicOffTheFrontPage_TheList_AndTheSitemaps()
    {
        var reader = _factory.CreateReader();
        Assert.NotNull((await reader.GetPageAsync("/")).QuerySelector($".front-topics a[href='{SampleUrl}']"));
        Assert.Contains("http://localhost/topics/dongxibu-xiezuo", await reader.GetStringAsync("/sitemap.xml"));
        Assert.NotNull((await reader.GetPageAsync("/sitemap")).QuerySelector($".sitemap__topics a[href='{SampleUrl}']"));

        await _factory.WithDbAsync(async db =>
        {
            (await db.Topics.SingleAsync(t => t.Slug == "dongxibu-xiezuo")).IsPublished = false;
            await db.SaveChangesAsync();
        });

        Assert.Null((await reader.GetPageAsync("/")).QuerySelector(".front-topics"));
        Assert.Empty((await reader.GetPageAsync("/topics")).QuerySelectorAll(".topic-card"));
        Assert.DoesNotContain("/topics/dongxibu-xiezuo", await reader.GetStringAsync("/sitemap.xml"));
        Assert.Null((await reader.GetPageAsync("/sitemap")).QuerySelector(".sitemap__topics"));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(SampleUrl)).StatusCode);
    }

    [Fact]
    public async Task TopicFeed_IsRss_OfTheReportsThePageLists_WithoutDrafts()
    {
        var reader = _factory.CreateReader();
        using var response = await reader.GetAsync(SampleUrl + "/feed.xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("东西部扶贫协作 - 专题", feed.Root!.Element("channel")!.Element("title")!.Value);
        var titles = feed.Descendants("item").Select(i => i.Element("title")!.Value).ToList();
        var page = await reader.GetPageAsync(SampleUrl);
        Assert.Equal(page.QuerySelectorAll(".topic-section .article-list__title a").Select(t => t.Text()).Distinct().Order(), titles.Order());
        Assert.DoesNotContain(titles, t => t.Contains("草稿", StringComparison.Ordinal));
    }
}
