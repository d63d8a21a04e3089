using System.Globalization;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PovertyNews.Web.Markdown;

/// <summary>Unique ids for the headings of one document; create one per render.</summary>
internal sealed class HeadingIds
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    public string Next(HeadingBlock heading) => UniqueId(Slug(heading), _used, _nextSuffix);

    /// <summary>GitHub-like slug of the heading's text; letters of any script (Chinese included) are kept.</summary>
    private static string Slug(HeadingBlock heading)
    {
        var text = new StringBuilder();
        if (heading.Inline is { } inline)
        {
            foreach (var child in inline.Descendants())
            {
                switch (child)
                {
                    case LiteralInline literal:
                        text.Append(literal.Content.AsSpan());
                        break;
                    case CodeInline code:
                        text.Append(code.Content);
                        break;
                    case LineBreakInline:
                        text.Append(' ');
                        break;
                }
            }
        }

        var slug = new StringBuilder();
        foreach (var c in text.ToString())
        {
            if (slug.Length >= 64)
            {
                break;
            }

            if (char.IsLetterOrDigit(c) || c is '_' or '-')
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsWhiteSpace(c) && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        return result.Length == 0 ? "section" : result;
    }

    /// <summary>First use keeps the slug, later ones get -1, -2, …; amortised O(1) even for thousands of equal headings.</summary>
    private static string UniqueId(string slug, HashSet<string> used, Dictionary<string, int> nextSuffix)
    {
        if (used.Add(slug))
        {
            return slug;
        }

        var suffix = nextSuffix.GetValueOrDefault(slug, 1);
        string candidate;
        do
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{suffix++}");
        }
        while (!used.Add(candidate));

        nextSuffix[slug] = suffix;
        return candidate;
    }
}
