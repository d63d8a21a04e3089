using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Media.Sharing;
using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// What a shared link shows (issue 22, items 5 and 8): the share image (1200 × 630 JPEG, the cover or the site's
/// card), the card's title and description, and the QR code that opens the article on a phone, all built from
/// PovertyNews:PublicBaseUrl whatever Host a request names.
/// </summary>
public sealed class ShareTests(PublicBaseUrlApp shared) : IClassFixture<PublicBaseUrlApp>, IAsyncLifetime
{
    private const string Origin = "https://news.example.com";
    private const string Forged = "evil.example.net";
    private const string JinanSlug = "jinan-xiangxi-delegation";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string? Meta(IHtmlDocument page, string key) =>
        (page.QuerySelector($"meta[property='{key}']") ?? page.QuerySelector($"meta[name='{key}']")
            ?? page.QuerySelector($"meta[itemprop='{key}']"))?.GetAttribute("content");

    private async Task<IHtmlDocument> PageAsync(string url, string host = Forged)
    {
        using var client = _factory.CreateReader();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadPageAsync();
    }

    /// <summary>GETs a share image by the path of its absolute address and decodes it.</summary>
    private async Task<(HttpResponseMessage Response, byte[] Bytes, SKBitmap Image)> ImageAsync(string absolute)
    {
        Assert.StartsWith(Origin + "/", absolute);
        var response = await _factory.CreateReader().GetAsync(absolute[Origin.Length..]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response, bytes, SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException("not an image"));
    }

    private async Task<int> ChannelIdAsync() => await _factory.WithDbAsync(db => Task.FromResult(db.Channels.First().Id));

    private async Task<PovertyNews.Web.Domain.Article> AddAsync(ArticleBuilder builder, Action<PovertyNews.Web.Domain.Article>? change = null)
    {
        var article = builder.Build();
        change?.Invoke(article);
        await _factory.WithDbAsync(db => { db.Articles.Add(article); return db.SaveChangesAsync(); });
        return article;
    }

    private string ShareFolder => _factory.Services.GetRequiredService<ShareImages>().Folder;

    private int DrawnCount => Directory.Exists(ShareFolder) ? Directory.GetFiles(ShareFolder).Length : 0;

    [Fact]
    public async Task ArticleWithCover_SharesItsCoverAs1200x630Jpeg_CachedForAYear()
    {
        var id = await _factory.ArticleIdAsync(JinanSlug);

        var page = await PageAsync($"/articles/{id}/{JinanSlug}");

        var image = Meta(page, "og:image")!;
        Assert.Matches($@"^{Origin}/articles/{id}/share\.jpg\?v=[0-9a-f]{{16}}$", image);
        Assert.Equal("1200", Meta(page, "og:image:width"));
        Assert.Equal("630", Meta(page, "og:image:height"));
        Assert.Equal("image/jpeg", Meta(page, "og:image:type"));
        Assert.Equal("summary_large_image", Meta(page, "twitter:card"));
        Assert.Equal(image, Meta(page, "twitter:image"));
        Assert.Equal(image, page.QuerySelector("meta[itemprop=image]")!.GetAttribute("content"));

        var (response, _, bitmap) = await ImageAsync(image);
        using (response)
        using (bitmap)
        {
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal((1200, 630), (bitmap.Width, bitmap.Height));
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            // Drawn from the cover: its middle (the gold seal on the conference table) is the image's middle.
            using var cover = SKBitmap.Decode(Path.Combine(NewsFactory.RepositoryRoot, "src/PovertyNews.Web/wwwroot/images/samples/delegation.jpg"));
            AssertNear(cover.GetPixel(cover.Width / 2, cover.Height / 2), bitmap.GetPixel(600, 315));
        }
    }

    [Fact]
    public async Task ArticleWithoutCover_SharesTheSiteCard_SameAsTheFrontPage()
    {
        var article = await AddAsync(new ArticleBuilder(await ChannelIdAsync(), "没有封面的报道"));

        var page = await PageAsync($"/articles/{article.Id}/{article.Slug}");
        var front = await PageAsync("/");

        var (response, bytes, bitmap) = await ImageAsync(Meta(page, "og:image")!);
        var (frontResponse, frontBytes, frontBitmap) = await ImageAsync(Meta(front, "og:image")!);
        using (response)
        using (bitmap)
        using (frontResponse)
        using (frontBitmap)
        {
            Assert.StartsWith($"{Origin}/share/default.jpg?v=", Meta(front, "og:image"));
            Assert.Equal((1200, 630), (bitmap.Width, bitmap.Height));
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(frontBytes, bytes);
            Assert.Equal("没有封面的报道", Meta(page, "og:image:alt"));
        }
    }

    [Fact]
    public async Task MediaLibraryCover_IsDrawnFromItsOriginal_CoverFit()
    {
        // A 16:9 photograph, red in its top-left quarter and blue elsewhere, stored as the library stores uploads.
        var processor = _factory.Services.GetRequiredService<PovertyNews.Web.Media.ImageProcessor>();
        using var processed = processor.Process(TestImages.Jpeg(3200, 1800));
        var name = PovertyNews.Web.Domain.MediaName.Create(processed.Sha256[..32], processed.Width, processed.Height, processed.Extension);
        _factory.Services.GetRequiredService<PovertyNews.Web.Media.MediaStore>().Save([(name, processed.Encoded)]);
        var article = await AddAsync(new ArticleBuilder(await ChannelIdAsync()),
            a => a.CoverImageUrl = PovertyNews.Web.Domain.MediaName.UrlOf(name.FileName));

        var page = await PageAsync($"/articles/{article.Id}/{article.Slug}");

        var (response, _, bitmap) = await ImageAsync(Meta(page, "og:image")!);
        using (response)
        using (bitmap)
        {
            Assert.Equal((1200, 630), (bitmap.Width, bitmap.Height));
            // The full width is kept and 60 of 1,800 rows are cut at top and bottom: the red quarter ends at the
            // middle of the width and a little above the middle of the height.
            AssertNear(TestImages.Red, bitmap.GetPixel(300, 150));
            AssertNear(TestImages.Blue, bitmap.GetPixel(900, 150));
            AssertNear(TestImages.Blue, bitmap.GetPixel(300, 480));
            AssertNear(TestImages.Red, bitmap.GetPixel(590, 300));
        }
    }

    [Fact]
    public async Task VideoPoster_StandsForAVideo()
    {
        var id = await _factory.ArticleIdAsync("video-aizhai-bridge");
        var page = await PageAsync($"/articles/{id}/video-aizhai-bridge");

        var (response, _, bitmap) = await ImageAsync(Meta(page, "og:image")!);
        using (response)
        using (bitmap)
        {
            // The sample import puts the clip's own poster into the media library; the share image draws that one.
            using var poster = SKBitmap.Decode(Path.Combine(NewsFactory.RepositoryRoot, "content/media/aizhai-bridge-poster.jpg"));
            // Cover-fit: the width fills 1200 px and the height is cropped evenly. A point in the flat green of the
            // left cliff (the centre falls on the thin bridge deck, where JPEG blurs colours).
            var scale = 1200f / poster.Width;
            var cropTop = (poster.Height - 630 / scale) / 2;
            var (px, py) = (poster.Width / 8, poster.Height * 7 / 8);
            AssertNear(poster.GetPixel(px, py), bitmap.GetPixel((int)(px * scale), (int)((py - cropTop) * scale)));
        }
    }

    [Fact]
    public async Task UnknownDraftOrWithdrawnArticle_Is404_AndNothingIsDrawn()
    {
        var channel = await ChannelIdAsync();
        var draft = await AddAsync(new ArticleBuilder(channel).Draft(), a => a.CoverImageUrl = "/images/samples/kiwi.jpg");
        var withdrawn = await AddAsync(new ArticleBuilder(channel).Withdrawn(), a => a.CoverImageUrl = "/images/samples/panda.jpg");
        var before = DrawnCount;

        foreach (var url in new[] { "/articles/987654/share.jpg", $"/articles/{draft.Id}/share.jpg", $"/articles/{withdrawn.Id}/share.jpg?v=1" })
        {
            using var response = await _factory.CreateReader().GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(before, DrawnCount);
    }

    [Fact]
    public async Task OldOrMissingVersion_GetsTheCurrentImage_CachedBriefly()
    {
        var id = await _factory.ArticleIdAsync(JinanSlug);

        using var response = await _factory.CreateReader().GetAsync($"/articles/{id}/share.jpg?v=0000000000000000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task SvgOrExternalCover_IsNotFetched_TheSiteCardIsShared()
    {
        var channel = await ChannelIdAsync();
        var svg = await AddAsync(new ArticleBuilder(channel), a => a.CoverImageUrl = "/favicon.svg");
        var external = await AddAsync(new ArticleBuilder(channel), a => a.CoverImageUrl = "https://images.example.org/a.jpg");
        var front = await PageAsync("/");
        var (defaultResponse, defaultBytes, defaultBitmap) = await ImageAsync(Meta(front, "og:image")!);
        defaultResponse.Dispose();
        defaultBitmap.Dispose();

        foreach (var article in new[] { svg, external })
        {
            var page = await PageAsync($"/articles/{article.Id}/{article.Slug}");
            var (response, bytes, bitmap) = await ImageAsync(Meta(page, "og:image")!);
            using (response)
            using (bitmap)
            {
                Assert.Equal(defaultBytes, bytes);
            }
        }
    }

    [Fact]
    public async Task QrCode_ReadsAsTheArticlesPublicAddress_EvenUnderAForgedHost()
    {
        var id = await _factory.ArticleIdAsync(JinanSlug);
        var address = $"{Origin}/articles/{id}/{JinanSlug}";

        var page = await PageAsync($"/articles/{id}", Forged);

        var details = page.QuerySelector("details.share-qr")!;
        Assert.Equal("二维码", details.QuerySelector("summary").Text());
        Assert.Equal("扫一扫在手机上阅读", details.QuerySelector("figcaption").Text());
        var image = details.QuerySelector("img")!;
        Assert.Equal("本文二维码：" + address, image.GetAttribute("alt"));
        Assert.DoesNotContain(Forged, page.DocumentElement.OuterHtml);
        // The code itself is drawn when a browser asks for the image, from the same public address.
        using var request = new HttpRequestMessage(HttpMethod.Get, image.GetAttribute("src"));
        request.Headers.Host = Forged;
        using var response = await _factory.CreateReader().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        var svg = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("svg")!;
        Assert.Equal(address, Decode(svg));
    }

    [Fact]
    public async Task QrCode_OfADraftOrWithdrawnReport_Is404_AndAnOtherVersionIsCachedBriefly()
    {
        var channel = await ChannelIdAsync();
        var draft = await AddAsync(new ArticleBuilder(channel).Draft());
        var withdrawn = await AddAsync(new ArticleBuilder(channel).Withdrawn());
        var id = await _factory.ArticleIdAsync(JinanSlug);

        foreach (var url in new[] { "/articles/987654/qr.svg", $"/articles/{draft.Id}/qr.svg", $"/articles/{withdrawn.Id}/qr.svg?v=1" })
        {
            using var refused = await _factory.CreateReader().GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using var old = await _factory.CreateReader().GetAsync($"/articles/{id}/qr.svg?v=0123456789abcdef");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal("public, max-age=300", old.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Description_IsTrimmedTo120_WithoutSplittingACharacter_TitleHasNoSiteSuffix()
    {
        // 118 characters, then characters written as surrogate pairs: a cut by code units would split one.
        var summary = string.Concat(Enumerable.Repeat("扶贫", 59)) + string.Concat(Enumerable.Repeat("𠀀", 30));
        var article = await AddAsync(new ArticleBuilder(await ChannelIdAsync(), "长摘要的报道").Summary(summary));

        var page = await PageAsync($"/articles/{article.Id}/{article.Slug}");

        var description = Meta(page, "og:description")!;
        Assert.True(description.Length <= 120, $"{description.Length} characters");
        Assert.StartsWith("扶贫扶贫", description);
        Assert.EndsWith("…", description);
        for (var i = 0; i < description.Length; i++)
        {
            Assert.False(char.IsHighSurrogate(description[i]) && !char.IsSurrogatePair(description, i), $"half a character at {i}");
            Assert.False(char.IsLowSurrogate(description[i]) && (i == 0 || !char.IsHighSurrogate(description[i - 1])), $"half a character at {i}");
        }
        Assert.Equal(description, page.QuerySelector("meta[itemprop=description]")!.GetAttribute("content"));
        Assert.Equal("长摘要的报道", Meta(page, "og:title"));
        Assert.Equal("长摘要的报道", page.QuerySelector("meta[itemprop=name]")!.GetAttribute("content"));
        Assert.Equal("article", Meta(page, "og:type"));
        Assert.Equal("扶贫新闻网", Meta(page, "og:site_name"));
        Assert.Equal("https://schema.org/WebPage", page.DocumentElement.GetAttribute("itemtype"));
    }

    [Fact]
    public async Task ChannelPage_SharesTheSiteCard_WithItsOwnTitle()
    {
        var page = await PageAsync("/channels/xiezuo");

        Assert.StartsWith($"{Origin}/share/default.jpg?v=", Meta(page, "og:image"));
        Assert.Equal("website", Meta(page, "og:type"));
        Assert.Equal(page.QuerySelector("meta[itemprop=name]")!.GetAttribute("content"), Meta(page, "og:title"));
        Assert.DoesNotContain(" - ", Meta(page, "og:title"));
    }

    /// <summary>Draws the page's QR code (QRCoder's one path of 1 × 1 modules) and reads it with ZXing.</summary>
    private static string Decode(AngleSharp.Dom.IElement svg)
    {
        var size = int.Parse(svg.GetAttribute("viewBox")!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        const int scale = 8;
        using var bitmap = new SKBitmap(new SKImageInfo(size * scale, size * scale, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false })
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            foreach (var path in svg.QuerySelectorAll("path"))
            {
                using var modules = SKPath.ParseSvgPathData(path.GetAttribute("d"));
                canvas.DrawPath(modules, paint);
            }
        }
        var luminance = new RGBLuminanceSource(bitmap.Bytes, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(luminance)))
            ?? throw new Xunit.Sdk.XunitException("the QR code could not be read");
        return result.Text;
    }

    private static void AssertNear(SKColor expected, SKColor actual) =>
        Assert.True(Math.Abs(expected.Red - actual.Red) < 24 && Math.Abs(expected.Green - actual.Green) < 24
            && Math.Abs(expected.Blue - actual.Blue) < 24, $"expected about {expected}, got {actual}");
}
