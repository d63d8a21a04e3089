using System.Linq.Expressions;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Domain;

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
    /// image, so the database skips it; the rest are decoded here. As SQLite GLOB patterns and as PostgreSQL regular
    /// expressions (SQLite has no regular expressions, PostgreSQL no GLOB), OR-ed.
    /// </summary>
    public const string PercentEscapeGlob = "*%[0-9A-Fa-f][0-9A-Fa-f]*";

    public const string PercentEscapeRegex = "%[0-9A-Fa-f]{2}";

    public const string CharacterReferenceLike = "%&#%";

    public const string BackslashGlob = "*\\*";

    public const string BackslashRegex = "\\\\";

    /// <summary>
    /// Articles whose live cover, poster, video or rendered body contains <paramref name="like"/> (<c>%key%</c>) or could hide
    /// it. SQLite's LIKE ignores the case of ASCII letters; ILIKE does the same on PostgreSQL.
    /// </summary>
    public static Expression<Func<Article, bool>> LiveCandidates(string like, bool postgres) => postgres
        ? a => (a.CoverImageUrl != null && (EF.Functions.ILike(a.CoverImageUrl, like) || Regex.IsMatch(a.CoverImageUrl, PercentEscapeRegex)))
            || (a.VideoPosterUrl != null && (EF.Functions.ILike(a.VideoPosterUrl, like) || Regex.IsMatch(a.VideoPosterUrl, PercentEscapeRegex)))
            || (a.VideoUrl != null && (EF.Functions.ILike(a.VideoUrl, like) || Regex.IsMatch(a.VideoUrl, PercentEscapeRegex)))
            || EF.Functions.ILike(a.BodyHtml, like) || Regex.IsMatch(a.BodyHtml, PercentEscapeRegex)
        : a => (a.CoverImageUrl != null && (EF.Functions.Like(a.CoverImageUrl, like) || EF.Functions.Glob(a.CoverImageUrl, PercentEscapeGlob)))
            || (a.VideoPosterUrl != null && (EF.Functions.Like(a.VideoPosterUrl, like) || EF.Functions.Glob(a.VideoPosterUrl, PercentEscapeGlob)))
            || (a.VideoUrl != null && (EF.Functions.Like(a.VideoUrl, like) || EF.Functions.Glob(a.VideoUrl, PercentEscapeGlob)))
            || EF.Functions.Like(a.BodyHtml, like) || EF.Functions.Glob(a.BodyHtml, PercentEscapeGlob);

    /// <summary>The same for a pending version, whose body is Markdown (so character references and backslashes too).</summary>
    public static Expression<Func<ArticleRevision, bool>> PendingCandidates(string like, bool postgres) => postgres
        ? r => (r.CoverImageUrl != null && (EF.Functions.ILike(r.CoverImageUrl, like) || Regex.IsMatch(r.CoverImageUrl, PercentEscapeRegex)))
            || (r.VideoPosterUrl != null && (EF.Functions.ILike(r.VideoPosterUrl, like) || Regex.IsMatch(r.VideoPosterUrl, PercentEscapeRegex)))
            || (r.VideoUrl != null && (EF.Functions.ILike(r.VideoUrl, like) || Regex.IsMatch(r.VideoUrl, PercentEscapeRegex)))
            || EF.Functions.ILike(r.BodyMarkdown, like) || Regex.IsMatch(r.BodyMarkdown, PercentEscapeRegex)
            || EF.Functions.Like(r.BodyMarkdown, CharacterReferenceLike) || Regex.IsMatch(r.BodyMarkdown, BackslashRegex)
        : r => (r.CoverImageUrl != null && (EF.Functions.Like(r.CoverImageUrl, like) || EF.Functions.Glob(r.CoverImageUrl, PercentEscapeGlob)))
            || (r.VideoPosterUrl != null && (EF.Functions.Like(r.VideoPosterUrl, like) || EF.Functions.Glob(r.VideoPosterUrl, PercentEscapeGlob)))
            || (r.VideoUrl != null && (EF.Functions.Like(r.VideoUrl, like) || EF.Functions.Glob(r.VideoUrl, PercentEscapeGlob)))
            || EF.Functions.Like(r.BodyMarkdown, like) || EF.Functions.Glob(r.BodyMarkdown, PercentEscapeGlob)
            || EF.Functions.Like(r.BodyMarkdown, CharacterReferenceLike) || EF.Functions.Glob(r.BodyMarkdown, BackslashGlob);

    [GeneratedRegex("\\s(?:src|href)=\"(?<url>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex UrlAttribute();
}
