using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Media;

/// <summary>The "PovertyNews:Media" section: what the media library accepts and which renditions it makes.</summary>
public sealed class MediaOptions : IValidatableObject
{
    public const string SectionName = "PovertyNews:Media";

    /// <summary>The upload page's request limit before the configured one is applied (the largest <see cref="MaxBytes"/> allowed).</summary>
    public const long RequestCeiling = 100L * 1024 * 1024 + 64 * 1024;

    /// <summary>The same for the video upload page (the largest <see cref="MaxVideoBytes"/> and a poster).</summary>
    public const long VideoRequestCeiling = MaxVideoCeiling + 100L * 1024 * 1024 + 64 * 1024;

    public static readonly IReadOnlyList<int> DefaultRenditionWidths = [320, 640, 1280];

    /// <summary>Largest upload, in bytes (10 MB).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Largest video upload, in bytes (200 MB). Videos are stored as uploaded, so this is also what a reader downloads.</summary>
    [Range(1024, MaxVideoCeiling)]
    public long MaxVideoBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The largest <see cref="MaxVideoBytes"/> that may be configured (2 GB).</summary>
    public const long MaxVideoCeiling = 2048L * 1024 * 1024;

    /// <summary>Most pixels (width × height) an upload may have, read from its header before anything is decoded.</summary>
    [Range(1, 100_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>WebP rendition widths. Empty means <see cref="DefaultRenditionWidths"/>.</summary>
    public int[]? RenditionWidths { get; set; }

    [Range(50, 100)]
    public int JpegQuality { get; set; } = 85;

    [Range(50, 100)]
    public int WebpQuality { get; set; } = 80;

    /// <summary>Images per page of the library.</summary>
    [Range(6, 120)]
    public int PageSize { get; set; } = 24;

    /// <summary>Folder of the stored images; empty means <c>media/</c> in the app's data folder.</summary>
    public string? Path { get; set; }

    /// <summary>The widths in use: distinct, ascending.</summary>
    public IReadOnlyList<int> Widths =>
        (RenditionWidths is { Length: > 0 } widths ? widths : DefaultRenditionWidths).Distinct().Order().ToList();

    /// <summary>The whole request may be a little larger than the file: the form's other fields and multipart framing.</summary>
    public long MaxRequestBytes => MaxBytes + 64 * 1024;

    /// <summary>The video upload's request: the video, a poster image with it, the other fields and framing.</summary>
    public long MaxVideoRequestBytes => MaxVideoBytes + MaxBytes + 64 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Widths.Any(w => w is < 16 or > 4096))
        {
            yield return new ValidationResult("Rendition widths must lie between 16 and 4096 pixels.", [nameof(RenditionWidths)]);
        }
    }
}
