using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Media;
using SkiaSharp;

namespace PovertyNews.Tests.Media;

public class ImageProcessorTests
{
    private static ImageProcessor Processor(MediaOptions? options = null) => new(Options.Create(options ?? new MediaOptions()));

    private static SKBitmap DecodeChecked(byte[] data, SKEncodedImageFormat format)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(data));
        Assert.NotNull(codec);
        Assert.Equal(format, codec.EncodedFormat);
        var bitmap = SKBitmap.Decode(data);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    private static SKBitmap DecodeChecked(SKData data, SKEncodedImageFormat format) => DecodeChecked(data.ToArray(), format);

    private static bool IsRed(SKColor c) => c.Red > 150 && c.Blue < 100;
    private static bool IsBlue(SKColor c) => c.Blue > 150 && c.Red < 100;

    [Fact]
    public void Jpeg_IsStoredWithWebpRenditionsAtEachNarrowerWidth()
    {
        var upload = TestImages.Jpeg(1600, 900);

        var image = Processor().Process(upload);

        Assert.Equal(("jpeg", "jpg", "image/jpeg", 1600, 900), (image.SourceFormat, image.Extension, image.ContentType, image.Width, image.Height));
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Jpeg);
        Assert.Equal((1600, 900), (stored.Width, stored.Height));
        Assert.Equal([320, 640, 1280], image.Renditions.Select(r => r.Width));
        foreach (var rendition in image.Renditions)
        {
            using var decoded = DecodeChecked(rendition.Encoded, SKEncodedImageFormat.Webp);
            Assert.Equal((rendition.Width, rendition.Width * 9 / 16), (decoded.Width, decoded.Height));
            Assert.True(IsRed(decoded.GetPixel(2, 2)) && IsBlue(decoded.GetPixel(decoded.Width - 3, decoded.Height - 3)));
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(upload)), image.Sha256);
    }

    [Theory]
    [InlineData(500, new[] { 320 })]
    [InlineData(640, new[] { 320 })]   // as wide as a rendition: the original serves that width
    [InlineData(300, new int[0])]
    public void Renditions_AreNeverAsWideAsTheOriginal(int width, int[] expected)
    {
        var image = Processor().Process(TestImages.Png(width, 200));

        Assert.Equal(expected, image.Renditions.Select(r => r.Width));
        Assert.All(image.Renditions, r => Assert.True(r.Width < image.Width));
    }

    [Fact]
    public void ConfiguredWidths_AreTheOnesMade()
    {
        var image = Processor(new MediaOptions { RenditionWidths = [800, 200] }).Process(TestImages.Jpeg(1000, 500));

        Assert.Equal([200, 800], image.Renditions.Select(r => r.Width));
    }

    [Fact]
    public void Png_StaysPng()
    {
        var image = Processor().Process(TestImages.Png(400, 300));

        Assert.Equal(("png", "image/png"), (image.Extension, image.ContentType));
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Png);
        Assert.True(IsRed(stored.GetPixel(10, 10)) && IsBlue(stored.GetPixel(390, 290)));
    }

    [Fact]
    public void Webp_StaysWebp()
    {
        var image = Processor().Process(TestImages.Webp(700, 400));

        Assert.Equal(("webp", "webp", "image/webp"), (image.SourceFormat, image.Extension, image.ContentType));
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Webp);
        Assert.Equal((700, 400), (stored.Width, stored.Height));
        Assert.Equal([320, 640], image.Renditions.Select(r => r.Width));
    }

    [Fact]
    public void Gif_IsStoredAsPng()
    {
        var image = Processor().Process(TestImages.Gif(60, 40));

        Assert.Equal(("gif", false, "png", "image/png"), (image.SourceFormat, image.WasAnimated, image.Extension, image.ContentType));
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Png);
        Assert.True(IsRed(stored.GetPixel(5, 5)) && IsBlue(stored.GetPixel(55, 35)));
    }

    [Fact]
    public void AnimatedGif_KeepsItsFirstFrame()
    {
        var upload = TestImages.Gif(60, 40, frames: 2);
        using (var codec = SKCodec.Create(SKData.CreateCopy(upload)))
        {
            Assert.Equal(2, codec.FrameCount); // the test file really is animated
        }

        var image = Processor().Process(upload);

        Assert.True(image.WasAnimated);
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Png);
        Assert.True(IsRed(stored.GetPixel(5, 5)), "the first frame has red at the top left; the second has blue");
    }

    [Fact]
    public void JpegWithExif_IsStoredWithoutIt()
    {
        var upload = TestImages.JpegWithExif(800, 600);
        Assert.True(TestImages.ContainsExif(upload));
        Assert.True(TestImages.IndexOf(upload, Encoding.ASCII.GetBytes(TestImages.ExifSecret)) >= 0);

        var image = Processor().Process(upload);

        Assert.False(TestImages.ContainsExif(image.Encoded.ToArray()));
        Assert.True(TestImages.IndexOf(image.Encoded.ToArray(), Encoding.ASCII.GetBytes(TestImages.ExifSecret)) < 0);
        Assert.All(image.Renditions, r => Assert.False(TestImages.ContainsExif(r.Encoded.ToArray())));
        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Jpeg);
    }

    [Fact]
    public void UprightJpeg_IsStoredAsItCame_LessItsMetadata()
    {
        // JpegWithExif is SkiaSharp's JPEG with an EXIF segment put in after its start marker.
        var upload = TestImages.JpegWithExif(1600, 900);

        var image = Processor().Process(upload);

        Assert.Equal(TestImages.Jpeg(1600, 900), image.Encoded.ToArray());
        Assert.Equal((1600, 900), (image.Width, image.Height));
        Assert.Equal([320, 640, 1280], image.Renditions.Select(r => r.Width));
    }

    [Theory]
    [InlineData(6, 100, 200, "top-right")]    // turned 90° clockwise
    [InlineData(8, 100, 200, "bottom-left")]  // turned 90° anticlockwise
    [InlineData(3, 200, 100, "bottom-right")] // turned 180°
    [InlineData(2, 200, 100, "top-right")]    // mirrored
    [InlineData(1, 200, 100, "top-left")]
    public void ExifOrientation_IsAppliedToThePixels(ushort orientation, int width, int height, string redCorner)
    {
        var image = Processor().Process(TestImages.JpegWithExif(200, 100, orientation));

        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Jpeg);
        Assert.Equal((width, height), (stored.Width, stored.Height));
        Assert.Equal((width, height), (image.Width, image.Height));
        var corners = new Dictionary<string, SKColor>
        {
            ["top-left"] = stored.GetPixel(5, 5),
            ["top-right"] = stored.GetPixel(width - 6, 5),
            ["bottom-left"] = stored.GetPixel(5, height - 6),
            ["bottom-right"] = stored.GetPixel(width - 6, height - 6),
        };
        Assert.Equal([redCorner], corners.Where(c => IsRed(c.Value)).Select(c => c.Key));
    }

    [Theory]
    [InlineData(1, 3000, 1500, "top-left")]
    [InlineData(6, 1500, 3000, "top-right")]   // turned 90° clockwise
    [InlineData(3, 3000, 1500, "bottom-right")] // turned 180°
    public void LargeJpeg_RenditionsFromTheScaledDecode_AreUprightAndInProportion(ushort orientation, int width, int height, string redCorner)
    {
        // Widest rendition 640: the JPEG is decoded again at half size for them (750 or 1500 pixels wide upright).
        var image = Processor(new MediaOptions { RenditionWidths = [320, 640] }).Process(TestImages.JpegWithExif(3000, 1500, orientation));

        using var stored = DecodeChecked(image.Encoded, SKEncodedImageFormat.Jpeg);
        Assert.Equal((width, height), (stored.Width, stored.Height));
        Assert.Equal([320, 640], image.Renditions.Select(r => r.Width));
        foreach (var rendition in image.Renditions)
        {
            using var decoded = DecodeChecked(rendition.Encoded, SKEncodedImageFormat.Webp);
            Assert.Equal((rendition.Width, rendition.Width * height / width), (decoded.Width, decoded.Height));
            Assert.Equal(rendition.Height, decoded.Height);
            var (w, h) = (decoded.Width, decoded.Height);
            var quarters = new Dictionary<string, SKColor>
            {
                ["top-left"] = decoded.GetPixel(w / 4, h / 4),
                ["top-right"] = decoded.GetPixel(w * 3 / 4, h / 4),
                ["bottom-left"] = decoded.GetPixel(w / 4, h * 3 / 4),
                ["bottom-right"] = decoded.GetPixel(w * 3 / 4, h * 3 / 4),
            };
            Assert.Equal([redCorner], quarters.Where(c => IsRed(c.Value)).Select(c => c.Key));
            Assert.Equal(3, quarters.Count(c => IsBlue(c.Value)));
        }
    }

    [Fact]
    public void SvgWithScript_IsRefused()
    {
        var svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>"u8.ToArray();

        var error = Assert.Throws<MediaRejectedException>(() => Processor().Process(svg));

        Assert.Contains("SVG", error.Message);
        Assert.Equal(415, error.StatusCode);
    }

    [Fact]
    public void HtmlNamedLikeAJpeg_IsRefusedByItsContent()
    {
        var html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();

        var error = Assert.Throws<MediaRejectedException>(() => Processor().Process(html));

        Assert.Contains("不是图片", error.Message);
    }

    [Fact]
    public void JpegSignatureOnAnotherFormat_IsRefused()
    {
        var fake = new byte[] { 0xFF, 0xD8, 0xFF }.Concat(Encoding.ASCII.GetBytes("not really a jpeg at all")).ToArray();

        var error = Assert.Throws<MediaRejectedException>(() => Processor().Process(fake));

        Assert.Contains("无法读取", error.Message);
    }

    [Fact]
    public void HugePngHeader_IsRefusedBeforeDecoding()
    {
        var bomb = TestImages.PngHeaderOnly(30_000, 30_000);
        Assert.True(bomb.Length < 2_000);
        // This thread's allocations only: Process runs synchronously here, and other test classes run in parallel.
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<MediaRejectedException>(() => Processor().Process(bomb));

        Assert.Contains("30,000 × 30,000", error.Message);
        Assert.Contains("百万像素", error.Message);
        Assert.Equal(413, error.StatusCode);
        // 900 megapixels would be 3.6 GB decoded; nothing near that (nor anything sizeable) was allocated.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void PixelLimit_IsConfigurable()
    {
        var error = Assert.Throws<MediaRejectedException>(() =>
            Processor(new MediaOptions { MaxPixels = 100_000 }).Process(TestImages.Png(400, 300)));

        Assert.Contains("上限为 0.1 百万像素", error.Message);
    }

    [Fact]
    public void TruncatedJpeg_IsRefused()
    {
        using var noise = new SKBitmap(new SKImageInfo(640, 480, SKColorType.Rgba8888, SKAlphaType.Premul));
        var random = new Random(7);
        for (var y = 0; y < 480; y++)
        {
            for (var x = 0; x < 640; x++)
            {
                noise.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }
        var jpeg = noise.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        var truncated = jpeg[..(jpeg.Length / 2)];

        var error = Assert.Throws<MediaRejectedException>(() => Processor().Process(truncated));

        Assert.Contains("不完整", error.Message);
    }

    [Fact]
    public void Rendition_CanBeMadeLaterFromTheStoredFile()
    {
        var image = Processor().Process(TestImages.Jpeg(1000, 500));

        var rendition = Processor().MakeRendition(image.Encoded.ToArray(), 480);

        using var decoded = DecodeChecked(rendition.Encoded, SKEncodedImageFormat.Webp);
        Assert.Equal((480, 240), (decoded.Width, decoded.Height));
    }
}
