using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>图集: the reader's page (pictures in body order, captions, counter, structured data), search, and the editor's rules.</summary>
public sealed class GalleryTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string SampleSlug = "gallery-xiangxi-visit";
    private const string Library1 = "/media/0123456789abcdef0123456789abcdef-1600x1200.jpg";
    private const string Library2 = "/media/fedcba9876543210fedcba9876543210-900x1200.png";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Article> AddAsync(ArticleBuilder builder)
    {
        var article = builder.Build();
        await _factory.WithDbAsync(db => { db.Articles.Add(article); return db.SaveChangesAsync(); });
        return article;
    }

    private Task<int> ChannelIdAsync() => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());

    private static JsonElement JsonLd(IHtmlDocument page, JsonDocument[] keep)
    {
        keep[0] = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        return keep[0].RootElement;
    }

    [Fact]
    public async Task SampleGallery_ShowsItsPicturesInBodyOrderWithCaptionsAndTheCounter()
    {
        var id = await _factory.ArticleIdAsync(SampleSlug);

        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}/{SampleSlug}");

        var gallery = page.QuerySelector("[data-gallery]")!;
        Assert.Equal("region", gallery.GetAttribute("role"));
        Assert.Equal("图集", gallery.GetAttribute("aria-roledescription"));
        var slides = gallery.QuerySelectorAll("[data-gallery-slide]");
        Assert.Equal(7, slides.Length);
        Assert.Equal(["shibadong", "aizhai-bridge", "kiwi", "panda", "training", "museum", "delegation"],
            slides.Select(s => Path.GetFileNameWithoutExtension(s.QuerySelector("img")!.GetAttribute("src"))));
        Assert.All(slides, s => Assert.False(string.IsNullOrWhiteSpace(s.QuerySelector("img")!.GetAttribute("alt"))));
        Assert.Equal("第3张，共7张", slides[2].GetAttribute("aria-label"));
        Assert.StartsWith("周生堂生物科技有限公司", slides[2].QuerySelector("figcaption").Text());
        Assert.Contains("14668", slides[0].QuerySelector("figcaption").Text());
        Assert.Equal("1/7", gallery.QuerySelector("[data-gallery-counter]").Text());
        Assert.NotNull(gallery.QuerySelector("[data-gallery-controls][hidden]")); // shown by the script only
        // The introduction stays text above the pictures; the body is not shown a second time, nor is the cover.
        Assert.Contains("孙立成", page.QuerySelector(".article__body").Text());
        Assert.Empty(page.QuerySelectorAll(".article__body img, .article__cover"));
        Assert.NotNull(page.QuerySelector("script[src^='/js/gallery.']"));
    }

    [Fact]
    public async Task Gallery_LibraryPicturesGetTheirSizeAndSrcsetAndLoadLazilyAfterTheFirst()
    {
        var article = await AddAsync(new ArticleBuilder(await ChannelIdAsync(), "图集：两张图").Gallery(
            $"导语一段。\n\n![茶园](" + Library1 + ")\n\n第一张的说明。\n\n![竖幅](" + Library2 + ")\n\n第二张**加粗**说明。\n\n还有一段。\n"));

        var page = await _factory.CreateReader().GetPageAsync($"/articles/{article.Id}");

        var images = page.QuerySelectorAll("[data-gallery-slide] img");
        Assert.Equal([Library1, Library2], images.Select(i => i.GetAttribute("src")));
        Assert.Equal(("1600", "1200"), (images[0].GetAttribute("width"), images[0].GetAttribute("height")));
        Assert.Equal(("900", "1200"), (images[1].GetAttribute("width"), images[1].GetAttribute("height")));
        Assert.Contains(" 320w", images[0].GetAttribute("srcset"));
        Assert.Equal(["eager", "lazy"], images.Select(i => i.GetAttribute("loading")));
        var captions = page.QuerySelectorAll("[data-gallery-slide] figcaption");
        Assert.Equal("第一张的说明。", captions[0].Text());
        Assert.Equal("加粗", captions[1].QuerySelector("strong").Text());
        Assert.Contains("还有一段。", captions[1].Text());
        Assert.Equal("1/2", page.QuerySelector("[data-gallery-counter]").Text());
        Assert.Equal("第2张，共2张", page.QuerySelectorAll("[data-gallery-slide]")[1].GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Gallery_StructuredDataIsANewsArticleOnAnImageGalleryWithEachPictureAndCaption()
    {
        var id = await _factory.ArticleIdAsync(SampleSlug);
        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}/{SampleSlug}");
        var keep = new JsonDocument[1];

        var json = JsonLd(page, keep);

        using (keep[0])
        {
            Assert.Equal("NewsArticle", json.GetProperty("@type").GetString());
            Assert.Equal("ImageGallery", json.GetProperty("mainEntityOfPage").GetProperty("@type").GetString());
            var media = json.GetProperty("associatedMedia").EnumerateArray().ToList();
            Assert.Equal(7, media.Count);
            Assert.All(media, m => Assert.Equal("ImageObject", m.GetProperty("@type").GetString()));
            Assert.Equal("http://localhost/images/samples/shibadong.jpg", media[0].GetProperty("contentUrl").GetString());
            Assert.Equal("http://localhost/images/samples/delegation.jpg", media[6].GetProperty("contentUrl").GetString());
            Assert.Equal(7, media[6].GetProperty("position").GetInt32());
            Assert.StartsWith("周生堂生物科技有限公司", media[2].GetProperty("caption").GetString());
            Assert.Equal(page.QuerySelectorAll("[data-gallery-slide] figcaption")[3].Text(), media[3].GetProperty("caption").GetString());
            var images = json.GetProperty("image").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal(media.Select(m => m.GetProperty("contentUrl").GetString()), images); // the cover is the first picture, once
        }
    }

    [Fact]
    public async Task OrdinaryArticle_KeepsItsStructuredDataWithoutGalleryParts()
    {
        var id = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}");
        var keep = new JsonDocument[1];

        var json = JsonLd(page, keep);

        using (keep[0])
        {
            Assert.Equal("WebPage", json.GetProperty("mainEntityOfPage").GetProperty("@type").GetString());
            Assert.False(json.TryGetProperty("associatedMedia", out _));
            Assert.Null(page.QuerySelector("[data-gallery]"));
        }
    }

    [Fact]
    public async Task DraftGallery_IsNotShownToReaders()
    {
        var article = await AddAsync(new ArticleBuilder(await ChannelIdAsync(), "未发布的图集").Draft()
            .Gallery("![茶园](" + Library1 + ")\n\n说明。\n"));

        await _factory.CreateReader().GetPageAsync($"/articles/{article.Id}", 404);
        var search = await _factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString("未发布的图集") + "&kind=gallery");
        Assert.DoesNotContain(search.QuerySelectorAll(".search-result__title a"), a => a.GetAttribute("href")!.StartsWith($"/articles/{article.Id}"));
        var published = await _factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString("湘西") + "&kind=gallery");
        Assert.NotEmpty(published.QuerySelectorAll(".search-result__title a")); // the same search finds a published gallery
    }

    [Fact]
    public async Task Search_KindGallery_FindsGalleriesOnlyWithTheBadge()
    {
        var page = await _factory.CreateReader().GetPageAsync("/search?q=" + Uri.EscapeDataString("湘西") + "&kind=gallery");

        var titles = page.QuerySelectorAll(".search-result__title").ToList();
        var result = Assert.Single(titles);
        Assert.Contains("考察行程一览", result.Text());
        Assert.Equal("图集", result.QuerySelector(".badge").Text());
        Assert.Equal("gallery", page.QuerySelector<IHtmlSelectElement>("select[name=kind]")!.Value);
    }

    [Fact]
    public async Task Channel_ListsTheGalleryWithItsBadge()
    {
        var page = await _factory.CreateReader().GetPageAsync("/channels/xiezuo");

        var item = page.QuerySelectorAll(".article-list__title").Single(t => t.TextContent.Contains("考察行程一览"));
        Assert.Equal("图集", item.QuerySelector(".badge").Text());
    }

    public static TheoryData<string, string> RefusedBodies => new()
    {
        { "只有导语，还没有图片。", "图集至少要有一张图片" },
        { "![](" + Library1 + ")\n\n说明。", "图集第 1 张图片缺少替代文字" },
        { "![茶园](" + Library1 + ")\n\n![外站](https://example.com/a.jpg)", "图集第 2 张图片须来自本站媒体库" },
    };

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task Editor_RefusesAGalleryWithoutPicturesOrAltOrFromOutsideTheLibrary(string body, string message)
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var before = await _factory.WithDbAsync(db => db.Articles.CountAsync());

        using var response = await reporter.SubmitFormAsync("/admin/articles/new", "#article-form", new()
        {
            ["Input.Title"] = "新图集",
            ["Input.ChannelId"] = (await _factory.EditorChannelIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Kind"] = nameof(ArticleKind.Gallery),
            ["Input.Body"] = body,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains(message, page.QuerySelector(".form-errors").Text());
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.Body']").Text());
        Assert.Equal(body, page.QuerySelector<IHtmlTextAreaElement>("#Input_Body")!.Value.ReplaceLineEndings("\n"));
        Assert.Equal("Gallery", page.QuerySelector<IHtmlSelectElement>("#Input_Kind")!.Value);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Articles.CountAsync()));
    }

    [Fact]
    public async Task Editor_SavesAValidGalleryAsADraftGalleryWithTheCanonicalBody()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        const string body = "![茶园](" + Library1 + ")\n\n茶园说明。\n\n![样图](/images/samples/kiwi.svg)\n";

        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "新图集", body,
            new() { ["Input.Kind"] = nameof(ArticleKind.Gallery) });

        var article = await _factory.WithDbAsync(db => db.Articles.SingleAsync(a => a.Id == id));
        Assert.Equal((ArticleKind.Gallery, ArticleStatus.Draft, body), (article.Kind, article.Status, article.BodyMarkdown));
        var edit = await reporter.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Equal("Gallery", edit.QuerySelector<IHtmlSelectElement>("#Input_Kind")!.Value);
        Assert.NotNull(edit.QuerySelector("[data-gallery-editor]"));
    }
}
