using PovertyNews.Web.Common;
using PovertyNews.Web.Media.Sharing;
using SkiaSharp;

namespace PovertyNews.Tests.Media.Sharing;

/// <summary>The share images as drawn: size, format, the cover's middle, and the site's card without a font.</summary>
public sealed class ShareImageRendererTests
{
    [Fact]
    public void WideCover_FillsTheFrameWithItsMiddle()
    {
        // Thirds of red, green and blue, twice as wide as the frame: the middle half is kept, so a sixth of the
        // frame on each side is red or blue and the middle is green.
        using var cover = Stripes(2400, 630, SKColors.Red, SKColors.Lime, SKColors.Blue);

        using var jpeg = ShareImageRenderer.Cover(cover, 85);
        using var image = SKBitmap.Decode(jpeg);

        Assert.Equal((1200, 630), (image.Width, image.Height));
        AssertNear(SKColors.Red, image.GetPixel(100, 315));
        AssertNear(SKColors.Lime, image.GetPixel(600, 315));
        AssertNear(SKColors.Blue, image.GetPixel(1100, 315));
    }

    [Fact]
    public void DefaultCard_WithoutAFont_ShowsTheEmblemInTheMiddle()
    {
        using var jpeg = ShareImageRenderer.Default("扶贫新闻网", "聚焦脱贫攻坚", font: null, quality: 85);
        using var image = SKBitmap.Decode(jpeg);

        Assert.Equal((1200, 630), (image.Width, image.Height));
        Assert.Equal(SKEncodedImageFormat.Jpeg, SKCodec.Create(jpeg).EncodedFormat);
        // The emblem's red tile left of its hills, and the site's red band along the bottom.
        AssertNear(SKColor.Parse(SiteEmblem.ThemeColor), image.GetPixel(600 - 130 + 15, 295));
        AssertNear(SKColor.Parse(SiteEmblem.ThemeColor), image.GetPixel(600, 625));
    }

    private static SKImage Stripes(int width, int height, params SKColor[] colors)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        using var paint = new SKPaint();
        for (var i = 0; i < colors.Length; i++)
        {
            paint.Color = colors[i];
            surface.Canvas.DrawRect(width * i / (float)colors.Length, 0, width / (float)colors.Length, height, paint);
        }
        return surface.Snapshot();
    }

    private static void AssertNear(SKColor expected, SKColor actual)
    {
        // JPEG moves colours a little.
        Assert.True(Math.Abs(expected.Red - actual.Red) < 24 && Math.Abs(expected.Green - actual.Green) < 24
            && Math.Abs(expected.Blue - actual.Blue) < 24, $"expected about {expected}, got {actual}");
    }
}
