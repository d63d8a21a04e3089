using System.Globalization;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Media;

/// <summary>
/// What pages need to show a library image well: a <c>srcset</c> of its WebP renditions, its real size, and a
/// single moderate URL where only one fits (a video poster). Anything that is not a library URL passes unchanged,
/// so external and older addresses keep working.
/// </summary>
public sealed class MediaImages(IOptions<MediaOptions> options)
{
    /// <summary>
    /// The srcset for a library URL, or null. It lists the renditions narrower than the original, and the original
    /// itself only when it is not wider than the largest rendition width (a 6,000-pixel original is never sent to
    /// a page; a 1,000-pixel one is the best there is).
    /// </summary>
    public string? Srcset(string? url)
    {
        if (!MediaName.TryParseUrl(url, out var name))
        {
            return null;
        }
        var widths = options.Value.Widths;
        var candidates = widths.Where(w => w < name.Value.Width)
            .Select(w => $"{MediaName.UrlOf(name.Value.Rendition(w).FileName)} {w.ToString(CultureInfo.InvariantCulture)}w")
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        if (name.Value.Width <= widths[^1])
        {
            candidates.Add($"{url} {name.Value.Width.ToString(CultureInfo.InvariantCulture)}w");
        }
        return string.Join(", ", candidates);
    }

    /// <summary>Width and height of a library image, from its name.</summary>
    public (int Width, int Height)? Size(string? url) =>
        MediaName.TryParseUrl(url, out var name) ? (name.Value.Width, name.Value.Height) : null;

    /// <summary>The largest rendition for places that take one URL (a video's poster); the URL itself otherwise.</summary>
    public string? Single(string? url)
    {
        if (!MediaName.TryParseUrl(url, out var name))
        {
            return url;
        }
        // An original no wider than the widest rendition width is the best there is (a 640-pixel poster, not its 320).
        var widths = options.Value.Widths;
        if (name.Value.Width <= widths[^1])
        {
            return url;
        }
        var largest = widths.Where(w => w < name.Value.Width).DefaultIfEmpty().Max();
        return largest == 0 ? url : MediaName.UrlOf(name.Value.Rendition(largest).FileName);
    }

    /// <summary>A small rendition for thumbnails in the newsroom.</summary>
    public string Thumbnail(string url, int atLeast = 320)
    {
        if (!MediaName.TryParseUrl(url, out var name))
        {
            return url;
        }
        var width = options.Value.Widths.Where(w => w < name.Value.Width && w >= atLeast).DefaultIfEmpty().Min();
        return width == 0 ? url : MediaName.UrlOf(name.Value.Rendition(width).FileName);
    }
}
