using System.Net;
using System.Text.RegularExpressions;

namespace PovertyNews.Web.Media;

/// <summary>
/// Whether a URL, or the rendered HTML of an article, points at a library image — judged the way the browser and the
/// server will read the URL, not by its spelling. <c>&amp;#x2F;media/…</c> (an entity), <c>/%6Dedia/…</c> (a
/// percent-escape), <c>\media\…</c>, <c>../media/…</c> and <c>/media/../media/…</c> all load the image; a check of the
/// source text for "/media/{key}" missed them, so an image still shown could be deleted.
/// </summary>
/// <remarks>
/// Deliberately generous: a URL counts as a use when its decoded form contains the image's key anywhere (the key is
/// 32 hex digits of the content hash and the size, so nothing else contains it by chance). Counting a use too many
/// only keeps an image; missing one breaks a page.
/// </remarks>
internal static partial class MediaReferences
{
    /// <summary>Does some <c>src</c> or <c>href</c> of this sanitised HTML load the image with this key?</summary>
    public static bool HtmlUses(string html, string key)
    {
        foreach (Match match in UrlAttribute().Matches(html))
        {
            // The sanitiser's writer escapes attribute values; the browser decodes them before it reads the URL.
            if (UrlUses(WebUtility.HtmlDecode(match.Groups["url"].Value), key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Does this URL (as the browser receives it, entities already decoded) load the image with this key?</summary>
    public static bool UrlUses(string? url, string key)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }
        // Browsers read "\" as "/" in http(s) URLs; Kestrel decodes percent-escapes in the path once. Decoding a few
        // times over also catches double escapes that some proxy in front might decode again.
        var text = url.Replace('\\', '/');
        for (var i = 0; i < 3; i++)
        {
            if (text.Contains(key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                break;
            }
            text = decoded;
        }
        return text.Contains(key, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Text that may hide a key from a plain substring test: a percent-escape (%XX), and in Markdown also a numeric
    /// character reference (&amp;#…) or a backslash escape. A row without the key and without these cannot use the
    /// image, so the database skips it; the rest are decoded here. As SQLite GLOB patterns, OR-ed.
    /// </summary>
    public const string PercentEscapeGlob = "*%[0-9A-Fa-f][0-9A-Fa-f]*";

    public const string CharacterReferenceLike = "%&#%";

    public const string BackslashGlob = "*\\*";

    [GeneratedRegex("\\s(?:src|href)=\"(?<url>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex UrlAttribute();
}
