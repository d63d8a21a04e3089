using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

public sealed class FeedTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private async Task<SyndicationFeed> LoadAsync(string url)
    {
        using var response = await factory.CreateReader().GetAsync(url);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        return SyndicationFeed.Load(reader);
    }

    [Fact]
    public async Task SiteFeed_ListsPublishedArticlesNewestFirstWithAbsoluteLinks()
    {
        var feed = await LoadAsync("/feed.xml");

        var items = feed.Items.ToList();
        Assert.Equal(14, items.Count); // the published sample articles, 图集 included
        Assert.DoesNotContain(items, i => i.Links[0].Uri.AbsoluteUri.Contains("draft-"));
        Assert.All(items, i => Assert.True(i.Links[0].Uri.IsAbsoluteUri));
        Assert.Equal(items.OrderByDescending(i => i.PublishDate).Select(i => i.Id), items.Select(i => i.Id));
        var jinan = items.Single(i => i.Links[0].Uri.AbsoluteUri.Contains("jinan-xiangxi-delegation"));
        Assert.Equal(TimeSpan.FromHours(8), jinan.PublishDate.Offset);
        Assert.Contains(jinan.Categories, c => c.Name == "东西部协作");
    }

    [Fact]
    public async Task ChannelFeed_ListsOnlyThatChannelAndItsSubChannels()
    {
        var feed = await LoadAsync("/channels/tuopin/feed.xml");

        Assert.Equal(3, feed.Items.Count());
        Assert.All(feed.Items, i => Assert.Contains(i.Categories, c => c.Name is "产业扶贫" or "就业扶贫"));
    }

    [Fact]
    public async Task Sitemap_ListsPublishedArticlesAndRobotsPointsAtIt()
    {
        var reader = factory.CreateReader();
        var sitemap = XDocument.Parse(await reader.GetStringAsync("/sitemap.xml"));
        var robots = await reader.GetStringAsync("/robots.txt");

        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var locs = sitemap.Descendants(ns + "loc").Select(l => l.Value).ToList();
        Assert.Contains(locs, l => l.Contains("/articles/") && l.Contains("jinan-xiangxi-delegation"));
        Assert.DoesNotContain(locs, l => l.Contains("draft-"));
        Assert.Contains("Disallow: /admin", robots);
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots);
    }

    [Fact]
    public async Task SiteFeed_EveryItemHasSummaryContentCategoriesAndAZonedDate()
    {
        var feed = await LoadAsync("/feed.xml");
        var visible = await factory.WithDbAsync(db => db.Articles.Where(Article.VisibleAt(factory.Clock.GetUtcNow().UtcDateTime))
            .Select(a => new { a.Id, a.Slug, a.Title, a.Summary }).ToListAsync());

        Assert.Equal("zh-CN", feed.Language);
        Assert.Equal(visible.Count, feed.Items.Count());
        foreach (var item in feed.Items)
        {
            var article = Assert.Single(visible, a => item.Links[0].Uri.AbsoluteUri == $"http://localhost/articles/{a.Id}/{a.Slug}");
            Assert.Equal(article.Title, item.Title.Text);
            Assert.Equal(article.Summary, item.Summary.Text);
            var content = Assert.Single(item.ElementExtensions.ReadElementExtensions<string>("encoded", "http://purl.org/rss/1.0/modules/content/"));
            Assert.StartsWith("<", content);
            Assert.NotEmpty(item.Categories);
            Assert.Equal(TimeSpan.FromHours(8), item.PublishDate.Offset);
            Assert.NotEqual(default, item.PublishDate);
        }
    }

    [Fact]
    public async Task Feed_HoldsTheLatestFiftyPublishedArticles()
    {
        using var big = new NewsFactory();
        var channelId = await big.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        var start = DateTime.UtcNow.AddDays(-100);
        await big.WithDbAsync(db =>
        {
            for (var i = 0; i < 60; i++)
            {
                db.Articles.Add(new ArticleBuilder(channelId, $"批量报道{i:D2}").PublishedAt(start.AddHours(i)).Build());
            }
            return db.SaveChangesAsync();
        });

        using var response = await big.CreateReader().GetAsync("/feed.xml");
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var items = SyndicationFeed.Load(reader).Items.ToList();

        Assert.Equal(50, items.Count);
        Assert.Equal("批量报道59", items[0].Title.Text);
        Assert.Equal("批量报道10", items[^1].Title.Text);
    }

    [Theory]
    [InlineData("/feed.xml")]
    [InlineData("/channels/tuopin/feed.xml")]
    [InlineData("/sitemap.xml")]
    public async Task Feeds_AnswerNotModifiedToAMatchingETagOrDate(string url)
    {
        var reader = factory.CreateReader();
        using var first = await reader.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var byTag = new HttpRequestMessage(HttpMethod.Get, url);
        byTag.Headers.IfNoneMatch.Add(etag);
        using var notModified = await reader.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var otherTag = new HttpRequestMessage(HttpMethod.Get, url);
        otherTag.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await reader.SendAsync(otherTag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        if (first.Content.Headers.LastModified is { } lastModified)
        {
            using var byDate = new HttpRequestMessage(HttpMethod.Get, url);
            byDate.Headers.IfModifiedSince = lastModified;
            using var sameDate = await reader.SendAsync(byDate);
            Assert.Equal(HttpStatusCode.NotModified, sameDate.StatusCode);

            using var earlier = new HttpRequestMessage(HttpMethod.Get, url);
            earlier.Headers.IfModifiedSince = lastModified.AddDays(-1);
            using var newer = await reader.SendAsync(earlier);
            Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        }
        else
        {
            Assert.DoesNotContain("feed", url);
        }
    }

    [Fact]
    public async Task WithdrawnArticle_LeavesTheFeedAndChangesItsETagAndDate()
    {
        using var own = new NewsFactory();
        var reader = own.CreateReader();
        using var before = await reader.GetAsync("/feed.xml");
        var etag = before.Headers.ETag!;
        var lastModified = before.Content.Headers.LastModified!.Value;

        own.Clock.Advance(TimeSpan.FromMinutes(5));
        var email = await own.CreateUserAsync("feed-editor@example.com", NewsRoles.Editor);
        await own.WithDbAsync(async db =>
        {
            var editorId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var jinan = await db.Articles.SingleAsync(a => a.Slug == "jinan-xiangxi-delegation");
            jinan.Withdraw(new Actor(editorId, "编辑", new HashSet<string> { NewsRoles.Editor }), "测试撤稿", own.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        });

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/feed.xml");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var after = await reader.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(after.Content.Headers.LastModified > lastModified);
        using var xml = XmlReader.Create(await after.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(xml);
        Assert.DoesNotContain(feed.Items, i => i.Links[0].Uri.AbsoluteUri.Contains("jinan-xiangxi-delegation"));
    }

    [Theory]
    [InlineData("/feed.xml")]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    public async Task HeadRequest_AnswersWithoutABody(string url)
    {
        using var response = await factory.CreateReader().SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnknownChannelFeed_IsNotFound()
    {
        using var response = await factory.CreateReader().GetAsync("/channels/no-such-channel/feed.xml");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LargeArchive_SitemapIsAnIndexOfMonthlySitemapsCoveringEveryArticleOnce()
    {
        // Limits this small turn the sample content (14 articles over a few months) into a "large" archive.
        using var split = factory.WithWebHostBuilder(b => b
            .UseSetting("PovertyNews:Feeds:SingleSitemapLimit", "5")
            .UseSetting("PovertyNews:Feeds:UrlsPerSitemap", "2"));
        var reader = split.CreateClient();
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

        var index = XDocument.Parse(await reader.GetStringAsync("/sitemap.xml"));
        Assert.Equal(ns + "sitemapindex", index.Root!.Name);
        var sitemaps = index.Root.Elements(ns + "sitemap").ToList();
        Assert.All(sitemaps, s => Assert.EndsWith("+08:00", s.Element(ns + "lastmod")!.Value));
        var locs = sitemaps.Select(s => s.Element(ns + "loc")!.Value).ToList();
        Assert.Equal("http://localhost/sitemaps/pages.xml", locs[0]);
        Assert.Contains(locs, l => l.EndsWith("/sitemaps/2020-06.xml"));

        var articleUrls = new List<string>();
        foreach (var loc in locs.Skip(1))
        {
            var month = XDocument.Parse(await reader.GetStringAsync(new Uri(loc).PathAndQuery));
            var urls = month.Root!.Elements(ns + "url").Select(u => u.Element(ns + "loc")!.Value).ToList();
            Assert.InRange(urls.Count, 1, 2);
            Assert.All(urls, u => Assert.Contains("/articles/", u));
            articleUrls.AddRange(urls);
        }
        var pages = XDocument.Parse(await reader.GetStringAsync("/sitemaps/pages.xml"));
        Assert.Contains(pages.Descendants(ns + "loc"), l => l.Value == "http://localhost/channels/tuopin");

        var visible = await factory.WithDbAsync(db => db.Articles.Where(Article.VisibleAt(factory.Clock.GetUtcNow().UtcDateTime))
            .Select(a => $"http://localhost/articles/{a.Id}/{a.Slug}").ToListAsync());
        Assert.Equal(visible.Order(), articleUrls.Order());
    }

    [Theory]
    [InlineData("/sitemaps/1900-01.xml")]
    [InlineData("/sitemaps/2020-13.xml")]
    [InlineData("/sitemaps/2031-01.xml")]
    [InlineData("/sitemaps/2020-06-1.xml")]
    [InlineData("/sitemaps/2020-06-99.xml")]
    public async Task MonthlySitemap_OutOfRange_IsNotFound(string url)
    {
        using var response = await factory.CreateReader().GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
