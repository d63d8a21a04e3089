using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PovertyNews.Web.Domain;

/// <summary>
/// The names of the library's files. An image is stored as <c>{hash}-{width}x{height}.{jpg|png|webp}</c> and its
/// renditions as <c>{hash}-{width}x{height}-{renditionWidth}.webp</c>. Because the name carries the size, any page can
/// write a <c>srcset</c> from the URL alone (no database lookup per card), and because the hash names the content, a
/// name never points at different pixels and can be cached for a year. <see cref="Key"/> is the part shared by an
/// image and its renditions, which is also what article text is searched for when asking where an image is used.
/// </summary>
public readonly partial record struct MediaName(string Key, int Width, int Height, string Extension, int? RenditionWidth)
{
    public const string UrlPrefix = "/media/";

    public string FileName => RenditionWidth is { } w ? $"{Key}-{w}.webp" : $"{Key}.{Extension}";

    public bool IsRendition => RenditionWidth is not null;

    /// <summary>A video file (MP4 or WebM), stored as uploaded with its picture size in the name and no renditions.</summary>
    public bool IsVideo => Extension is "mp4" or "webm";

    public MediaName Rendition(int width) => this with { RenditionWidth = width, Extension = "webp" };

    public MediaName Original(string extension) => this with { RenditionWidth = null, Extension = extension };

    public static MediaName Create(string hash, int width, int height, string extension) =>
        new($"{hash}-{width.ToString(CultureInfo.InvariantCulture)}x{height.ToString(CultureInfo.InvariantCulture)}", width, height, extension, null);

    public static string UrlOf(string fileName) => UrlPrefix + fileName;

    public static bool TryParse(string? fileName, [NotNullWhen(true)] out MediaName? name)
    {
        name = null;
        if (fileName is null || fileName.Length > 80 || NamePattern().Match(fileName) is not { Success: true } match)
        {
            return false;
        }
        int? rendition = match.Groups["r"].Success ? int.Parse(match.Groups["r"].ValueSpan, CultureInfo.InvariantCulture) : null;
        if (rendition is not null && match.Groups["ext"].Value != "webp")
        {
            return false;
        }
        name = new MediaName(match.Groups["key"].Value,
            int.Parse(match.Groups["w"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["h"].ValueSpan, CultureInfo.InvariantCulture),
            match.Groups["ext"].Value, rendition);
        return true;
    }

    /// <summary>A site-relative library URL (<c>/media/…</c>) of an original image; external and other URLs are not.</summary>
    public static bool TryParseUrl(string? url, [NotNullWhen(true)] out MediaName? name)
    {
        name = null;
        return url is not null && url.StartsWith(UrlPrefix, StringComparison.Ordinal)
            && TryParse(url[UrlPrefix.Length..], out name) && !name.Value.IsRendition && !name.Value.IsVideo;
    }

    /// <summary>A site-relative library URL (<c>/media/…</c>) of a video (MP4 or WebM).</summary>
    public static bool TryParseVideoUrl(string? url, [NotNullWhen(true)] out MediaName? name)
    {
        name = null;
        return url is not null && url.StartsWith(UrlPrefix, StringComparison.Ordinal)
            && TryParse(url[UrlPrefix.Length..], out name) && name.Value.IsVideo;
    }

    [GeneratedRegex(@"^(?<key>[0-9a-f]{32}-(?<w>[1-9][0-9]{0,4})x(?<h>[1-9][0-9]{0,4}))(?:-(?<r>[1-9][0-9]{1,3}))?\.(?<ext>jpg|png|webp|mp4|webm)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
