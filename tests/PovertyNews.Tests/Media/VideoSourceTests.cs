using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Media;

public class VideoSourceTests
{
    [Theory]
    [InlineData("/media/0123456789abcdef0123456789abcdef-640x360.webm", true)]
    [InlineData("/media/0123456789abcdef0123456789abcdef-1920x1080.mp4", true)]
    [InlineData("https://video.example.com/2020/aizhai.mp4", true)]
    [InlineData("https://video.example.com/2020/aizhai.webm", true)]
    [InlineData("/media/0123456789abcdef0123456789abcdef-640x360.jpg", false)] // an image
    [InlineData("/media/test.mp4", false)] // not a library name
    [InlineData("http://video.example.com/aizhai.mp4", false)] // not https: blocked as mixed content
    [InlineData("https://v.example.com/watch?v=aizhai", false)] // a platform's page
    [InlineData("https://video.example.com/live.m3u8", false)]
    [InlineData("/images/samples/video-aizhai.svg", false)]
    [InlineData(null, false)]
    public void IsPlayable_AcceptsLibraryVideosAndDirectHttpsFiles(string? url, bool playable)
    {
        Assert.Equal(playable, VideoSource.IsPlayable(url));
        var article = new Article { Slug = "x", Title = "x", Kind = ArticleKind.Video, VideoUrl = url };
        // The database's reading agrees except for what only code can check (a library name's shape, the scheme).
        if (playable)
        {
            Assert.True(VideoSource.Playable.Compile()(article));
        }
    }

    [Fact]
    public void Promotable_KeepsReportsAndPlayableVideos()
    {
        var promotable = VideoSource.Promotable.Compile();

        Assert.True(promotable(new Article { Slug = "a", Title = "a", Kind = ArticleKind.Article }));
        Assert.True(promotable(new Article { Slug = "v", Title = "v", Kind = ArticleKind.Video, VideoUrl = "https://x.example.com/a.webm" }));
        Assert.False(promotable(new Article { Slug = "p", Title = "p", Kind = ArticleKind.Video, VideoPosterUrl = "/images/samples/video-aizhai.svg" }));
    }
}
