using System.Linq.Expressions;

namespace PovertyNews.Web.Domain;

/// <summary>
/// Which video addresses a <c>&lt;video&gt;</c> element can play: a video of the media library (<c>/media/….mp4</c> or
/// <c>….webm</c>), or a direct https link to an MP4 or WebM file. Pages of video platforms, streams and other formats
/// are not: a video article without a playable source is not promoted (热点视频, the video listing) and shows no ▶.
/// The same rule runs in the database (<see cref="Playable"/>) and in code (<see cref="IsPlayable"/>).
/// </summary>
public static class VideoSource
{
    public const string InvalidMessage =
        "视频地址须是媒体库中的视频（/media/… 的 MP4 或 WebM），或以 https:// 开头、以 .mp4 或 .webm 结尾的视频文件地址；视频网站的播放页无法在本站播放。";

    public static bool IsPlayable(string? url) =>
        url is not null
        && (url.StartsWith(MediaName.UrlPrefix, StringComparison.Ordinal) ? MediaName.TryParseVideoUrl(url, out _)
            : url.StartsWith("https://", StringComparison.Ordinal) && url.Length > "https://".Length + 5
              && (url.EndsWith(".mp4", StringComparison.Ordinal) || url.EndsWith(".webm", StringComparison.Ordinal))
              && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A video article whose video can be played (the database's reading of <see cref="IsPlayable"/>).</summary>
    public static readonly Expression<Func<Article, bool>> Playable = a =>
        a.VideoUrl != null
        && (a.VideoUrl.StartsWith(MediaName.UrlPrefix) || a.VideoUrl.StartsWith("https://"))
        && (a.VideoUrl.EndsWith(".mp4") || a.VideoUrl.EndsWith(".webm"));

    /// <summary>What lists may show: any report that is not a video, and videos that play.</summary>
    public static readonly Expression<Func<Article, bool>> Promotable = a =>
        a.Kind != ArticleKind.Video
        || (a.VideoUrl != null
            && (a.VideoUrl.StartsWith(MediaName.UrlPrefix) || a.VideoUrl.StartsWith("https://"))
            && (a.VideoUrl.EndsWith(".mp4") || a.VideoUrl.EndsWith(".webm")));

    /// <summary>The content type for a <c>&lt;source type&gt;</c>; null when the address does not tell.</summary>
    public static string? ContentTypeOf(string? url) =>
        url is null ? null
        : url.EndsWith(".webm", StringComparison.Ordinal) ? "video/webm"
        : url.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4"
        : null;
}
