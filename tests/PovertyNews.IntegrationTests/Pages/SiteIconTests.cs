using System.Net;
using System.Text.Json;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Feeds;
using SkiaSharp;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The favicon, app icons and manifest every reader page links to.</summary>
public sealed class SiteIconTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReaderPages_LinkTheIcons_AndEachAnswersWithItsTypeAndSize()
    {
        var reader = _factory.CreateReader();
        var page = await reader.GetPageAsync("/");
        var links = page.QuerySelectorAll("link[rel=icon], link[rel=apple-touch-icon], link[rel=manifest]")
            .Select(l => l.GetAttribute("href")!).ToList();
        Assert.Equal(["/favicon.ico", "/favicon.svg", "/icons/icon-180.png", "/manifest.webmanifest"], links);

        foreach (var size in new[] { 180, 192, 512 })
        {
            using var response = await reader.GetAsync($"/icons/icon-{size}.png");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((size, size), (bitmap.Width, bitmap.Height));
            // The tile's red at its middle-left edge, the white hills low in the middle.
            Assert.Equal(SKColor.Parse(SiteIcons.ThemeColor), bitmap.GetPixel(size / 32, size / 2));
            Assert.Equal(SKColors.White, bitmap.GetPixel(size * 30 / 64, size * 48 / 64));
        }
        using var unknown = await reader.GetAsync("/icons/icon-4000.png");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var ico = await reader.GetAsync("/favicon.ico");
        var bytes = await ico.Content.ReadAsByteArrayAsync();
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0, 0, 1, 0, 1, 0, 32, 32], bytes[..8]);
        using var inner = SKBitmap.Decode(bytes[22..]);
        Assert.Equal(32, inner.Width);

        var svg = await reader.GetStringAsync("/favicon.svg");
        Assert.Contains($"d=\"{SiteIcons.HillsPath}\"", svg);
    }

    [Fact]
    public async Task Manifest_NamesTheSiteAsConfigured_WithItsIcons()
    {
        using var response = await _factory.CreateReader().GetAsync("/manifest.webmanifest");

        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("扶贫新闻网", root.GetProperty("name").GetString());
        Assert.Equal("zh-CN", root.GetProperty("lang").GetString());
        Assert.Equal(["192x192", "512x512", "any"], root.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()));
    }
}
