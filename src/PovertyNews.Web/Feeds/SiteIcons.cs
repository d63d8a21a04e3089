using System.Collections.Concurrent;
using System.Text.Json;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Reading;
using SkiaSharp;

namespace PovertyNews.Web.Feeds;

/// <summary>
/// The site's icon (a red tile with a sun over hills, the same drawing as <c>wwwroot/favicon.svg</c>) as the PNGs
/// phones and browsers ask for, <c>/favicon.ico</c> for clients that ask by that name, and the web app manifest
/// with the site's configured name. Drawn once per size by SkiaSharp: no binary artwork in the repository.
/// </summary>
public static class SiteIcons
{
    public const string ThemeColor = SiteEmblem.ThemeColor;

    /// <summary>Sizes served: the favicon, Apple's touch icon, and the manifest's two.</summary>
    public static readonly int[] Sizes = [32, 180, 192, 512];

    private static readonly ConcurrentDictionary<int, byte[]> Pngs = new();
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapSiteIcons(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/icons/icon-{size:int}.png", ["GET", "HEAD"], (int size, HttpContext http) =>
            Array.IndexOf(Sizes, size) < 0 ? Results.NotFound() : Image(http, Png(size), "image/png"));
        app.MapMethods("/favicon.ico", ["GET", "HEAD"], (HttpContext http) => Image(http, Ico(Png(32), 32), "image/x-icon"));
        app.MapMethods("/manifest.webmanifest", ["GET", "HEAD"], async (HttpContext http, PortalCache portal, CancellationToken ct) =>
        {
            var settings = (await portal.GetAsync(ct)).Settings;
            http.TagOutput([CacheTags.Site]);
            return Results.Bytes(Manifest(settings.SiteName, settings.Tagline), "application/manifest+json");
        }).CacheOutput(new ReaderCacheAttribute());
        return app;
    }

    private static IResult Image(HttpContext http, byte[] bytes, string type)
    {
        http.Response.Headers.CacheControl = $"public, max-age={(int)MaxAge.TotalSeconds}";
        return Results.Bytes(bytes, type);
    }

    public static byte[] Manifest(string siteName, string? tagline) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        name = siteName,
        short_name = siteName.Length <= 6 ? siteName : siteName[..6],
        description = tagline ?? "",
        lang = "zh-CN",
        start_url = "/",
        scope = "/",
        display = "browser",
        background_color = "#ffffff",
        theme_color = ThemeColor,
        icons = new[]
        {
            new { src = "/icons/icon-192.png", sizes = "192x192", type = "image/png", purpose = "any" },
            new { src = "/icons/icon-512.png", sizes = "512x512", type = "image/png", purpose = "any" },
            new { src = "/favicon.svg", sizes = "any", type = "image/svg+xml", purpose = "any" },
        },
    }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static byte[] Png(int size) => Pngs.GetOrAdd(size, Draw);

    /// <summary>The hills, as in favicon.svg's path (a test checks the two agree).</summary>
    public const string HillsPath = SiteEmblem.HillsPath;

    private static byte[] Draw(int size)
    {
        using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        SiteEmblem.Draw(canvas, 0, 0, size);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>An ICO file holding one PNG image (the form every browser since 2007 reads).</summary>
    public static byte[] Ico(byte[] png, int size)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write((ushort)0); // reserved
        w.Write((ushort)1); // type: icon
        w.Write((ushort)1); // one image
        w.Write((byte)(size >= 256 ? 0 : size));
        w.Write((byte)(size >= 256 ? 0 : size));
        w.Write((byte)0); // no palette
        w.Write((byte)0); // reserved
        w.Write((ushort)1); // colour planes
        w.Write((ushort)32); // bits per pixel
        w.Write((uint)png.Length);
        w.Write((uint)(6 + 16)); // the image follows the header and its one directory entry
        w.Write(png);
        w.Flush();
        return stream.ToArray();
    }
}
