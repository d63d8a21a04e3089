using PovertyNews.Web.Generate;
using PovertyNews.Web.Media;
using SkiaSharp;

namespace PovertyNews.Tests.Media;

/// <summary>The WebM the sample clips are made with: its EBML read back element by element.</summary>
public class WebmWriterTests
{
    private static byte[] Frame(SKColor color, int width = 64, int height = 48)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        surface.Canvas.Clear(color);
        using var image = surface.Snapshot();
        using var webp = image.Encode(SKEncodedImageFormat.Webp, 50);
        return webp.ToArray();
    }

    private static List<EbmlElement> Children(EbmlReader reader, EbmlElement parent, long length) => reader.Children(parent, length).ToList();

    [Fact]
    public void Frames_AreMuxedAsKeyframeSimpleBlocksWithTheRightTimesAndDuration()
    {
        var writer = new WebmWriter(64, 48, framesPerSecond: 4);
        var frames = Enumerable.Range(0, 30).Select(i => Frame(new SKColor((byte)(i * 8), 80, 160))).ToList();
        foreach (var frame in frames)
        {
            writer.AddWebpFrame(frame);
        }

        var bytes = writer.ToArray();

        var reader = new EbmlReader(new MemoryStream(bytes));
        var header = reader.Element(0, bytes.Length);
        Assert.Equal(0x1A45DFA3u, header.Id);
        var docType = Children(reader, header, bytes.Length).Single(e => e.Id == 0x4282);
        Assert.Equal("webm", reader.String(docType));
        var segment = reader.Element(header.End, bytes.Length);
        Assert.Equal((0x18538067u, (long)bytes.Length), (segment.Id, segment.End)); // the segment runs to the end

        var top = Children(reader, segment, bytes.Length);
        var info = Children(reader, top.Single(e => e.Id == 0x1549A966), bytes.Length);
        Assert.Equal(1_000_000ul, reader.UInt(info.Single(e => e.Id == 0x2AD7B1)));
        Assert.Equal(7500.0, reader.Float(info.Single(e => e.Id == 0x4489))); // 30 frames at 4 a second, in ms
        var track = Children(reader, Children(reader, top.Single(e => e.Id == 0x1654AE6B), bytes.Length).Single(), bytes.Length);
        Assert.Equal("V_VP8", reader.String(track.Single(e => e.Id == 0x86)));
        var video = Children(reader, track.Single(e => e.Id == 0xE0), bytes.Length);
        Assert.Equal((64ul, 48ul), (reader.UInt(video.Single(e => e.Id == 0xB0)), reader.UInt(video.Single(e => e.Id == 0xBA))));

        // Clusters of at most 5 s: blocks at 0, 250, … ms relative to their cluster, each a keyframe holding the VP8 frame.
        var clusters = top.Where(e => e.Id == 0x1F43B675).ToList();
        Assert.Equal(2, clusters.Count);
        var times = new List<long>();
        var index = 0;
        foreach (var cluster in clusters)
        {
            var children = Children(reader, cluster, bytes.Length);
            var clusterTime = (long)reader.UInt(children.First(e => e.Id == 0xE7));
            foreach (var block in children.Where(e => e.Id == 0xA3))
            {
                var data = reader.Data(block, 1 << 20);
                Assert.Equal(0x81, data[0]); // track 1
                Assert.Equal(0x80, data[3] & 0x80); // keyframe
                times.Add(clusterTime + (short)((data[1] << 8) | data[2]));
                Assert.Equal(WebmWriter.Vp8OfWebp(frames[index++]).ToArray(), data[4..]);
            }
        }
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i * 250), times);
        Assert.Equal(30, writer.FrameCount);
    }

    [Fact]
    public void WrittenFile_IsReadBackAsAVideoOfItsLength()
    {
        var writer = new WebmWriter(64, 48, framesPerSecond: 10);
        for (var i = 0; i < 25; i++)
        {
            writer.AddWebpFrame(Frame(SKColors.DarkGreen));
        }

        var (info, refusal) = VideoContainer.Read(new MemoryStream(writer.ToArray()));

        Assert.Null(refusal);
        Assert.Equal((64, 48, 2.5), (info!.Width, info.Height, info.DurationSeconds));
    }

    [Fact]
    public void LosslessWebp_HasNoVp8KeyframeToTake()
    {
        using var surface = SKSurface.Create(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var pixels = surface.PeekPixels();
        using var lossless = pixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 75));

        Assert.Throws<InvalidDataException>(() => WebmWriter.Vp8OfWebp(lossless!.AsSpan()));
        Assert.Throws<InvalidDataException>(() => WebmWriter.Vp8OfWebp("RIFF0000WAVEfmt "u8));
    }

    [Fact]
    public void SampleScene_IsEightSecondsOfVp8AtTheSampleSize()
    {
        var (webm, poster, writer) = SampleVideo.Render("shibadong");

        Assert.Equal(SampleVideo.Frames, writer.FrameCount);
        Assert.InRange(webm.Length, 50_000, 1_500_000);
        var (info, _) = VideoContainer.Read(new MemoryStream(webm));
        Assert.Equal((640, 360, 8.0), (info!.Width, info.Height, info.DurationSeconds));
        using var decoded = SKBitmap.Decode(poster);
        Assert.Equal((640, 360), (decoded.Width, decoded.Height));
    }
}
