using System.Net;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The Jinan report shows every part of the reference page's anatomy.</summary>
public sealed class ArticlePageTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private const string JinanSlug = "jinan-xiangxi-delegation";

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> JinanPageAsync()
    {
        var id = await factory.ArticleIdAsync(JinanSlug);
        return await factory.CreateReader().GetPageAsync($"/articles/{id}/{JinanSlug}");
    }

    [Fact]
    public async Task JinanReport_ShowsTitleSourceAndTimeInChinaStandardTime()
    {
        var page = await JinanPageAsync();

        var h1 = Assert.Single(page.QuerySelectorAll("h1"));
        Assert.Contains("济南", h1.Text());
        Assert.Contains("湘西", h1.Text());
        Assert.Contains(h1.Text(), page.Title);
        Assert.Equal("来源：扶贫新闻网", page.QuerySelector(".article__source").Text());
        var time = page.QuerySelector(".article__time time")!;
        Assert.StartsWith("2020-06-23", time.Text());
        Assert.EndsWith("+08:00", time.GetAttribute("datetime"));
        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task JinanReport_ShowsBodyWithTheReportsFigures()
    {
        var page = await JinanPageAsync();

        var body = page.QuerySelector(".article__body").Text();
        Assert.True(page.QuerySelectorAll(".article__body p").Length >= 5);
        foreach (var fact in new[] { "十八洞村", "14668", "750", "4482", "矮寨大桥", "凤凰中华大熊猫苑", "水发集团有限公司" })
        {
            Assert.Contains(fact, body);
        }
        Assert.Empty(page.QuerySelectorAll(".article__body script, .article__body [onclick]"));
    }

    [Fact]
    public async Task JinanReport_ShowsContactBlockReprintEditorAndCopyright()
    {
        var page = await JinanPageAsync();

        var contact = page.QuerySelector(".article__contact").Text();
        Assert.Contains("新闻热线：0531-83122110", contact);
        Assert.Contains("官方微信公众号：产经济南", contact);
        Assert.Equal("转自：济南日报", page.QuerySelector(".article__reprinted").Text());
        Assert.Equal("责任编辑：本网编辑部", page.QuerySelector(".article__editor").Text());
        Assert.StartsWith("【版权及免责声明】", page.QuerySelector(".article__copyright").Text());
        Assert.NotEmpty(page.QuerySelectorAll(".article__tags a[rel=tag]"));
    }

    [Fact]
    public async Task JinanReport_ListsRelatedArticlesThatOpen()
    {
        var page = await JinanPageAsync();

        var related = page.QuerySelectorAll(".related__list a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.InRange(related.Count, 3, 6);
        Assert.DoesNotContain(related, href => href.Contains(JinanSlug));
        var reader = factory.CreateReader();
        var first = await reader.GetPageAsync(related[0]);
        Assert.Single(first.QuerySelectorAll("h1"));
    }

    [Fact]
    public async Task JinanReport_ShowsTheFourSidebarsWithItems()
    {
        var page = await JinanPageAsync();

        var titles = page.QuerySelectorAll(".sidebar__title").Select(t => t.Text()).ToList();
        Assert.Equal(["热点视频", "热点新闻", "热点舆情", "特色小镇"], titles);
        Assert.NotEmpty(page.QuerySelectorAll(".sidebar--videos .video-cards a"));
        foreach (var section in page.QuerySelectorAll(".sidebar").Skip(1))
        {
            Assert.NotEmpty(section.QuerySelectorAll(".sidebar__list li a"));
        }
        // The pinned lead story heads 热点新闻.
        Assert.Contains(JinanSlug, page.QuerySelector(".sidebar--hot .sidebar__list a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task JinanReport_FooterLinksTheIcpNumberToTheMiitRegistry()
    {
        var page = await JinanPageAsync();

        var icp = page.QuerySelector(".site-footer a[href^='https://beian.miit.gov.cn']");
        Assert.Contains("ICP", icp.Text());
        Assert.Contains("版权所有", page.QuerySelector(".site-footer").Text());
        Assert.NotNull(page.QuerySelector("header.site-header"));
        Assert.NotNull(page.QuerySelector("nav"));
        Assert.NotNull(page.QuerySelector("main"));
        Assert.NotNull(page.QuerySelector("aside"));
        Assert.NotNull(page.QuerySelector("footer.site-footer"));
    }

    [Fact]
    public async Task WrongSlug_RedirectsPermanentlyToTheCanonicalUrl()
    {
        var id = await factory.ArticleIdAsync(JinanSlug);

        using var response = await factory.CreateReader().GetAsync($"/articles/{id}/some-other-words");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"/articles/{id}/{JinanSlug}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Draft_IsNotFoundForReaders()
    {
        var id = await factory.ArticleIdAsync("draft-next-steps-followup");

        var page = await factory.CreateReader().GetPageAsync($"/articles/{id}", 404);

        Assert.Equal("页面不存在", page.QuerySelector("h1").Text());
    }

    [Fact]
    public async Task Withdrawn_AnswersGoneWithANotice()
    {
        var channelId = await factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));
        var article = new ArticleBuilder(channelId, "将被撤回的报道").Withdrawn().Build();
        await factory.WithDbAsync(async db => { db.Articles.Add(article); await db.SaveChangesAsync(); });

        var page = await factory.CreateReader().GetPageAsync($"/articles/{article.Id}", 410);

        Assert.Contains("撤回", page.QuerySelector("h1").Text());
        Assert.DoesNotContain("将被撤回的报道", page.Body!.TextContent);
    }

    [Fact]
    public async Task VideoWithoutFile_ShowsItsPoster()
    {
        var channelId = await factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));
        var posterOnly = new ArticleBuilder(channelId, "只有封面的视频报道").Video("/images/samples/video-aizhai.jpg").Build();
        await factory.WithDbAsync(async db => { db.Articles.Add(posterOnly); await db.SaveChangesAsync(); });
        var id = posterOnly.Id;

        var page = await factory.CreateReader().GetPageAsync($"/articles/{id}");

        Assert.Null(page.QuerySelector("video"));
        Assert.EndsWith(".jpg", page.QuerySelector(".article__video img")!.GetAttribute("src"));
    }

    [Fact]
    public async Task VideoWithFile_ShowsAVideoPlayer()
    {
        var channelId = await factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));
        var video = new ArticleBuilder(channelId, "有视频文件的报道").Video("/images/samples/video-aizhai.jpg").Build();
        video.VideoUrl = "https://video.example.com/test.mp4";
        await factory.WithDbAsync(async db => { db.Articles.Add(video); await db.SaveChangesAsync(); });

        var page = await factory.CreateReader().GetPageAsync($"/articles/{video.Id}");

        var player = page.QuerySelector("video")!;
        Assert.Equal("https://video.example.com/test.mp4", player.QuerySelector("source")!.GetAttribute("src"));
        Assert.Equal("video/mp4", player.QuerySelector("source")!.GetAttribute("type"));
        Assert.Equal("/images/samples/video-aizhai.jpg", player.GetAttribute("poster"));
        Assert.Equal(ArticleKind.Video, video.Kind);
    }
}
