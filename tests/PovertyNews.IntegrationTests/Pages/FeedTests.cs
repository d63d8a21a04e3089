using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using PovertyNews.IntegrationTests.Infrastructure;

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
        Assert.Equal(13, items.Count);
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
}
