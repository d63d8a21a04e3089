using PovertyNews.Web.Media.Sharing;
using SkiaSharp;

namespace PovertyNews.Tests.Media.Sharing;

/// <summary>Which part of a cover fills the 1200 × 630 share image, and how far a cover may be decoded smaller.</summary>
public sealed class CoverFitTests
{
    [Fact]
    public void WiderPicture_KeepsItsHeight_AndLosesBothSidesEvenly()
    {
        var rect = CoverFit.SourceRect(2400, 630, 1200, 630);

        Assert.Equal(new SKRect(600, 0, 1800, 630), rect);
    }

    [Fact]
    public void TallerPicture_KeepsItsWidth_AndLosesTopAndBottomEvenly()
    {
        // 1280 × 720 (16:9) is a little taller than 1200:630: 672 rows of 720 are kept, 24 cut at each edge.
        var rect = CoverFit.SourceRect(1280, 720, 1200, 630);

        Assert.Equal(0, rect.Left);
        Assert.Equal(1280, rect.Right);
        Assert.Equal(24, rect.Top, 3);
        Assert.Equal(696, rect.Bottom, 3);
    }

    [Fact]
    public void PortraitPicture_KeepsTheMiddleBand()
    {
        var rect = CoverFit.SourceRect(1000, 3000, 1200, 630);

        Assert.Equal(1000, rect.Width, 3);
        Assert.Equal(525, rect.Height, 3);
        Assert.Equal(1500, rect.MidY, 3);
    }

    [Fact]
    public void SameShape_IsTakenWhole()
    {
        Assert.Equal(new SKRect(0, 0, 2400, 1260), CoverFit.SourceRect(2400, 1260, 1200, 630));
        Assert.Equal(new SKRect(0, 0, 120, 63), CoverFit.SourceRect(120, 63, 1200, 630));
    }

    [Fact]
    public void EmptySize_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CoverFit.SourceRect(0, 630, 1200, 630));

    [Theory]
    [InlineData(4800, 2520, 0.25f)] // four times the frame each way
    [InlineData(6000, 1000, 0.63f)] // a panorama: its height decides
    [InlineData(2400, 4000, 0.5f)]  // a portrait: its width decides
    [InlineData(600, 315, 1f)]      // smaller than the frame: never decoded larger
    public void DecodeScale_LeavesAtLeastOneSourcePixelPerPixel(int width, int height, float expected)
    {
        var scale = CoverFit.DecodeScale(width, height, 1200, 630);

        Assert.Equal(expected, scale, 3);
        var crop = CoverFit.SourceRect((int)Math.Round(width * scale), (int)Math.Round(height * scale), 1200, 630);
        Assert.True(scale == 1f || (crop.Width >= 1199.5f && crop.Height >= 629.5f));
    }
}
