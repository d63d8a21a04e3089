using System.Net;
using System.Text;

namespace PovertyNews.Web.Search;

/// <summary>
/// Readable text of the sanitised body HTML, for the index and for snippets. Block elements become line breaks so
/// words from two paragraphs never join into one Chinese run; inline elements vanish, so 扶<strong>贫</strong>
/// still reads 扶贫. The HTML is our own sanitiser's output, so a simple scanner is enough.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
        "td", "th", "thead", "tbody", "figure", "figcaption", "hr", "dt", "dd", "dl", "section", "img",
    };

    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }
        var text = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var open = html.IndexOf('<', i);
            if (open < 0)
            {
                text.Append(html, i, html.Length - i);
                break;
            }
            text.Append(html, i, open - i);
            var close = html.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }
            var nameStart = open + 1 < html.Length && html[open + 1] == '/' ? open + 2 : open + 1;
            var nameEnd = nameStart;
            while (nameEnd < close && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }
            if (BlockElements.Contains(html[nameStart..nameEnd]))
            {
                text.Append('\n');
            }
            i = close + 1;
        }
        return WebUtility.HtmlDecode(text.ToString()).Trim();
    }
}
