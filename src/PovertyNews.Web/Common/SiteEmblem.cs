using SkiaSharp;

namespace PovertyNews.Web.Common;

/// <summary>
/// The site's emblem: a red tile with a sun over white hills, the drawing of <c>wwwroot/favicon.svg</c>. Drawn by the
/// icons (Feeds/SiteIcons) and the default share image (Media/Sharing), so the two cannot drift apart.
/// </summary>
public static class SiteEmblem
{
    public const string ThemeColor = "#b71c1c";

    /// <summary>The hills, as in favicon.svg's path (a test checks the two agree), on a 64-unit tile.</summary>
    public const string HillsPath = "M6 52 24 26l10 14 8-10 16 22z";

    /// <summary>Draws the emblem into a square of <paramref name="size"/> pixels at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static void Draw(SKCanvas canvas, float x, float y, float size)
    {
        canvas.Save();
        canvas.Translate(x, y);
        canvas.Scale(size / 64f);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        paint.Color = SKColor.Parse(ThemeColor);
        canvas.DrawRoundRect(new SKRect(0, 0, 64, 64), 12, 12, paint);
        paint.Color = SKColor.Parse("#ffd54f");
        canvas.DrawCircle(44, 20, 8, paint);
        paint.Color = SKColors.White;
        using var hills = SKPath.ParseSvgPathData(HillsPath);
        canvas.DrawPath(hills, paint);
        canvas.Restore();
    }
}
