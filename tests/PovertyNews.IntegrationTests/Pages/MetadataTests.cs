using System.Text.Json;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>What crawlers and share cards read: titles, descriptions, canonical links, OpenGraph and JSON-LD.</summary>
public sealed class MetadataTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private const string JinanSlug = "jinan-xiangxi-delegation";

    private static string? Meta(AngleSharp.Html.Dom.IHtmlDocument page, string key) =>
        (page.QuerySelector($"meta[property='{key}']") ?? page.QuerySelector($"meta[name='{key}']"))?.GetAttribute("content");

    [Fact]
    public async Task JinanReport_JsonLdIsANewsArticleWithTheShownDateSourceAndPublisher()
    {
        var id = await factory.ArticleIdAsync(JinanSlug);
        var page = await factory.CreateReader().GetPageAsync($"/articles/{id}/{JinanSlug}");

        var script = Assert.Single(page.QuerySelectorAll("script[type='application/ld+json']"));
        using var json = JsonDocument.Parse(script.TextContent);
        var root = json.RootElement;
        Assert.Equal("https://schema.org", root.GetProperty("@context").GetString());
        Assert.Equal("NewsArticle", root.GetProperty("@type").GetString());
        Assert.Equal(page.QuerySelector("h1").Text(), root.GetProperty("headline").GetString());
        var shownTime = page.QuerySelector(".article__time time")!.GetAttribute("datetime");
        Assert.Equal(shownTime, root.GetProperty("datePublished").GetString());
        Assert.StartsWith("2020-06-23T", root.GetProperty("datePublished").GetString());
        Assert.EndsWith("+08:00", root.GetProperty("dateModified").GetString());
        Assert.True(DateTimeOffset.Parse(root.GetProperty("dateModified").GetString()!) >= DateTimeOffset.Parse(shownTime!));
        var source = page.QuerySelector(".article__source").Text().Replace("来源：", "");
        Assert.Equal(source, root.GetProperty("sourceOrganization").GetProperty("name").GetString());
        Assert.Equal("扶贫新闻网", root.GetProperty("publisher").GetProperty("name").GetString());
        Assert.Equal("Organization", root.GetProperty("publisher").GetProperty("@type").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("author").GetProperty("name").GetString()));
        Assert.Equal($"http://localhost/articles/{id}/{JinanSlug}", root.GetProperty("mainEntityOfPage").GetProperty("@id").GetString());
        Assert.Equal("济南日报", root.GetProperty("isBasedOn").GetProperty("publisher").GetProperty("name").GetString());
    }

    [Fact]
    public async Task JinanReport_HasCanonicalOpenGraphAndTwitterTags()
    {
        var id = await factory.ArticleIdAsync(JinanSlug);
        var page = await factory.CreateReader().GetPageAsync($"/articles/{id}/{JinanSlug}");

        var canonical = page.QuerySelector("link[rel=canonical]")!.GetAttribute("href");
        Assert.Equal($"http://localhost/articles/{id}/{JinanSlug}", canonical);
        Assert.Equal(canonical, Meta(page, "og:url"));
        Assert.Equal("article", Meta(page, "og:type"));
        Assert.Equal(page.QuerySelector("h1").Text(), Meta(page, "og:title"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "description")));
        Assert.Equal(Meta(page, "description"), Meta(page, "og:description"));
        Assert.StartsWith("2020-06-23T", Meta(page, "article:published_time"));
        Assert.NotNull(Meta(page, "twitter:card"));
        Assert.Equal("zh_CN", Meta(page, "og:locale"));
        Assert.Null(page.QuerySelector("meta[name=robots]"));
    }

    [Fact]
    public async Task ArticleWithCover_SharesItsShareImage_AndTheCoverInJsonLd()
    {
        var channelId = await factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));
        var article = new ArticleBuilder(channelId, "带封面的报道").Build();
        article.CoverImageUrl = "/images/cover-test.jpg";
        article.CoverImageAlt = "村民在茶园采茶";
        await factory.WithDbAsync(db => { db.Articles.Add(article); return db.SaveChangesAsync(); });

        var page = await factory.CreateReader().GetPageAsync($"/articles/{article.Id}/{article.Slug}");

        // The cover drawn to 1200 × 630 JPEG (Media/Sharing); search engines get the cover itself.
        Assert.StartsWith($"http://localhost/articles/{article.Id}/share.jpg?v=", Meta(page, "og:image"));
        Assert.Equal("村民在茶园采茶", Meta(page, "og:image:alt"));
        Assert.Equal("summary_large_image", Meta(page, "twitter:card"));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal("http://localhost/images/cover-test.jpg", json.RootElement.GetProperty("image")[0].GetString());
    }

    [Fact]
    public async Task TitleWithScriptCloser_CannotBreakOutOfTheJsonLdBlock()
    {
        var channelId = await factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));
        var article = new ArticleBuilder(channelId, "标题</script><script>alert(1)</script>").Build();
        await factory.WithDbAsync(db => { db.Articles.Add(article); return db.SaveChangesAsync(); });

        var page = await factory.CreateReader().GetPageAsync($"/articles/{article.Id}/{article.Slug}");

        // One inline script, the JSON-LD; the others are the site's own files (the comment form's js/comments.js).
        var script = Assert.Single(page.QuerySelectorAll("script:not([src])"));
        Assert.All(page.QuerySelectorAll("script[src]"), s => Assert.StartsWith("/js/", s.GetAttribute("src")));
        using var json = JsonDocument.Parse(script.TextContent);
        Assert.Equal(article.Title, json.RootElement.GetProperty("headline").GetString());
    }

    [Theory]
    [InlineData("/", "扶贫新闻网")]
    [InlineData("/channels/tuopin", "脱贫攻坚")]
    [InlineData("/archive", "往期回顾")]
    [InlineData("/videos", "视频")]
    public async Task ListingPages_HaveTitleDescriptionCanonicalAndOpenGraph(string url, string titlePart)
    {
        var page = await factory.CreateReader().GetPageAsync(url);

        Assert.Contains(titlePart, page.Title);
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "description")), "meta description");
        Assert.Equal("website", Meta(page, "og:type"));
        var canonical = page.QuerySelector("link[rel=canonical]")?.GetAttribute("href");
        Assert.NotNull(canonical);
        Assert.StartsWith("http://localhost/", canonical);
        Assert.Equal(canonical, Meta(page, "og:url"));
        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        Assert.Null(page.QuerySelector("meta[name=robots]"));
    }

    [Theory]
    [InlineData("/search?q=扶贫")]
    [InlineData("/search")]
    [InlineData("/admin/signin")]
    [InlineData("/no-such-page", 404)]
    public async Task SearchAdminAndErrorPages_AreNotIndexed(string url, int status = 200)
    {
        var page = await factory.CreateReader().GetPageAsync(url, status);

        Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task ArticlePage_PrintsItsSourceAndAddress()
    {
        var id = await factory.ArticleIdAsync(JinanSlug);
        var page = await factory.CreateReader().GetPageAsync($"/articles/{id}/{JinanSlug}");

        var line = page.QuerySelector(".article__print-source.print-only").Text();
        Assert.Contains("来源：扶贫新闻网", line);
        Assert.Contains($"http://localhost/articles/{id}/{JinanSlug}", line);
        var css = await factory.CreateReader().GetStringAsync("/css/site.css");
        var print = css[css.IndexOf("@media print", StringComparison.Ordinal)..];
        Assert.Contains(".print-only { display: block; }", print);
        Assert.Matches(@"\.site-nav[^{]*\.sidebars[^{]*\{ display: none", print);
    }
}
