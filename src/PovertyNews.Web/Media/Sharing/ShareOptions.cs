using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>The "PovertyNews:Sharing" section: the share images (og:image) drawn for articles and for the site.</summary>
public sealed class ShareOptions
{
    public const string SectionName = "PovertyNews:Sharing";

    /// <summary>
    /// Font files tried, in order, for the site's name on the default share image: the first that has its characters
    /// is used (a .ttc collection's Simplified Chinese face first). SkiaSharp's portable build asks no font service, so
    /// the files are named here; Debian's fonts-noto-cjk is the first. Without any, the image shows the emblem alone.
    /// </summary>
    public string[] FontFiles { get; set; } =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/System/Library/Fonts/PingFang.ttc",
        "C:\\Windows\\Fonts\\msyhbd.ttc",
        "C:\\Windows\\Fonts\\msyh.ttc",
    ];

    /// <summary>Share images drawn at once; more requests wait (a cover decodes into up to 160 MB of pixels).</summary>
    [Range(1, 16)]
    public int MaxConcurrentRenders { get; set; } = 2;

    /// <summary>How long a request waits for a turn before it is answered 503 with Retry-After.</summary>
    [Range(1, 120)]
    public int QueueTimeoutSeconds { get; set; } = 15;

    [Range(50, 100)]
    public int JpegQuality { get; set; } = 85;
}
