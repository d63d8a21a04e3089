using System.Text;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Media;

namespace PovertyNews.Tests.Media;

public class VideoContainerTests
{
    private static (VideoInfo? Info, string? Refusal) Read(byte[] bytes) => VideoContainer.Read(new MemoryStream(bytes));

    [Fact]
    public void Mp4_IsRecognisedWithItsSizeAndDuration()
    {
        var (info, refusal) = Read(TestVideos.Mp4(timescale: 90_000, duration: 1_125_000, width: 1920, height: 1080));

        Assert.Null(refusal);
        Assert.Equal(("mp4", "video/mp4", 1920, 1080), (info!.Extension, info.ContentType, info.Width, info.Height));
        Assert.Equal(12.5, info.DurationSeconds!.Value, 6);
    }

    [Fact]
    public void Mp4WithMoovAfterTheMedia_AndVersion1Boxes_IsRead()
    {
        var (info, _) = Read(TestVideos.Mp4(timescale: 1000, duration: 3_600_500, moovLast: true, version1: true, mdatBytes: 200_000));

        Assert.Equal((1280, 720), (info!.Width, info.Height));
        Assert.Equal(3600.5, info.DurationSeconds!.Value, 6);
    }

    [Fact]
    public void FragmentedMp4WithoutDuration_HasNoDuration()
    {
        var (info, _) = Read(TestVideos.Mp4(duration: 0, brand: "dash"));

        Assert.NotNull(info);
        Assert.Null(info.DurationSeconds);
    }

    [Theory]
    [InlineData("avif")] // an AVIF image is ISO-BMFF too
    [InlineData("heic")]
    [InlineData("qt  ")] // QuickTime
    public void IsoFileOfAnotherBrand_IsRefused(string brand)
    {
        var bytes = TestVideos.Mp4(brand: brand);
        // Drop the compatible brands (isom …) so only the major brand speaks.
        var ftyp = TestVideos.Box("ftyp", [.. Encoding.ASCII.GetBytes(brand), 0, 0, 2, 0, .. Encoding.ASCII.GetBytes(brand)]);
        var (info, refusal) = Read([.. ftyp, .. bytes[28..]]);

        Assert.Null(info);
        Assert.Contains("不支持的 MP4 类型", refusal);
    }

    [Fact]
    public void Mp4WithOnlyAnAudioTrack_IsRefused()
    {
        var (info, refusal) = Read(TestVideos.Mp4(handler: "soun"));

        Assert.Null(info);
        Assert.Contains("没有视频轨道", refusal);
    }

    [Fact]
    public void TruncatedMp4_IsRefusedAsDamaged()
    {
        var bytes = TestVideos.Mp4(moovLast: true);

        var (info, refusal) = Read(bytes[..^40]);

        Assert.Null(info);
        Assert.Equal(VideoContainer.Damaged, refusal);
    }

    [Fact]
    public void Webm_IsRecognisedWithItsSizeAndDuration()
    {
        var (info, refusal) = Read(TestVideos.SampleClip());

        Assert.Null(refusal);
        Assert.Equal(("webm", "video/webm", 640, 360), (info!.Extension, info.ContentType, info.Width, info.Height));
        Assert.Equal(SampleVideo.Frames / SampleVideo.FramesPerSecond, info.DurationSeconds!.Value, 3);
    }

    [Fact]
    public void MatroskaThatIsNotWebm_IsRefused()
    {
        var clip = TestVideos.SampleClip();
        var at = IndexOf(clip, "webm"u8.ToArray());
        Assert.InRange(at, 0, 64); // the DocType in the EBML header
        Encoding.ASCII.GetBytes("mkv!").CopyTo(clip, at);

        var (info, refusal) = Read(clip);

        Assert.Null(info);
        Assert.Contains("只接受 WebM", refusal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("jpeg")]
    [InlineData("empty")]
    public void OtherFiles_AreNotVideos(string kind)
    {
        var bytes = kind switch
        {
            "text" => Encoding.UTF8.GetBytes("这是一个改了扩展名的文本文件，不是视频。"),
            "jpeg" => TestImages.Jpeg(64, 64),
            _ => [],
        };

        var (info, refusal) = Read(bytes);

        Assert.Null(info);
        Assert.Equal(VideoContainer.NotAVideo, refusal);
        Assert.False(VideoContainer.StartsLikeVideo(bytes));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
