using PovertyNews.Web.Common;
using SkiaSharp;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>
/// Draws share images: 1200 × 630 (the ratio Facebook, X and LinkedIn crop to; WeChat takes the middle square), either
/// a cover filling the frame or the site's default card, and encodes them as JPEG.
/// </summary>
public static class ShareImageRenderer
{
    public const int Width = 1200;
    public const int Height = 630;

    /// <summary>The cover, cover-fit to the frame.</summary>
    public static SKData Cover(SKImage cover, int quality)
    {
        using var surface = NewSurface();
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White); // a transparent PNG lies on white, as on the page
        var source = CoverFit.SourceRect(cover.Width, cover.Height, Width, Height);
        using var paint = new SKPaint { IsAntialias = true };
        canvas.DrawImage(cover, source, new SKRect(0, 0, Width, Height), new SKSamplingOptions(SKCubicResampler.Mitchell), paint);
        return Encode(surface, quality);
    }

    /// <summary>
    /// The site's card for pages and articles without a picture: the emblem, the site's name and tagline on a calm
    /// paper-coloured ground with a line of hills, everything centred so WeChat's square crop keeps the name. Without a
    /// font that has the name's characters (<paramref name="font"/> null) the emblem stands alone, larger.
    /// </summary>
    public static SKData Default(string siteName, string? tagline, SKTypeface? font, int quality)
    {
        using var surface = NewSurface();
        var canvas = surface.Canvas;
        using (var ground = new SKPaint())
        {
            ground.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, Height),
                [SKColor.Parse("#fbf7f0"), SKColor.Parse("#efe3cf")], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, Width, Height, ground);
        }
        using (var hills = new SKPaint { IsAntialias = true, Color = SKColor.Parse("#e4d4ba") })
        using (var path = SKPath.ParseSvgPathData("M0 560 L160 500 L330 548 L520 482 L700 540 L880 490 L1040 536 L1200 488 L1200 630 L0 630 Z"))
        {
            canvas.DrawPath(path, hills);
        }
        using (var band = new SKPaint { Color = SKColor.Parse(SiteEmblem.ThemeColor) })
        {
            canvas.DrawRect(0, Height - 14, Width, 14, band);
        }

        if (font is null)
        {
            const float size = 260;
            SiteEmblem.Draw(canvas, (Width - size) / 2, (Height - size) / 2 - 20, size);
            return Encode(surface, quality);
        }

        const float emblem = 132;
        SiteEmblem.Draw(canvas, (Width - emblem) / 2, 92, emblem);
        using var name = new SKFont(font, Fit(font, siteName, 104, Width - 160)) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var ink = new SKPaint { IsAntialias = true, Color = SKColor.Parse("#7f1313") };
        canvas.DrawText(siteName, Width / 2f, 350, SKTextAlign.Center, name, ink);
        if (!string.IsNullOrWhiteSpace(tagline))
        {
            using var small = new SKFont(font, Fit(font, tagline, 40, Width - 200)) { Subpixel = true, Edging = SKFontEdging.Antialias };
            ink.Color = SKColor.Parse("#5d4a36");
            canvas.DrawText(tagline, Width / 2f, 430, SKTextAlign.Center, small, ink);
        }
        return Encode(surface, quality);
    }

    /// <summary>The largest size up to <paramref name="size"/> at which <paramref name="text"/> fits the width (at least a third of it).</summary>
    private static float Fit(SKTypeface typeface, string text, float size, float width)
    {
        using var font = new SKFont(typeface, size);
        var measured = font.MeasureText(text);
        return measured <= width ? size : Math.Max(size / 3, size * width / measured);
    }

    private static SKSurface NewSurface() =>
        SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
        ?? throw new InvalidOperationException("Skia could not allocate a share image surface");

    private static SKData Encode(SKSurface surface, int quality)
    {
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        return pixels.Encode(new SKJpegEncoderOptions(quality)) ?? throw new InvalidOperationException("JPEG encoding failed");
    }
}
