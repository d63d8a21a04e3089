using System.Net;
using System.Text;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search;

/// <summary>
/// Marks what the reader looked for in titles and snippets. Matching runs on folded text, which has the same
/// length as the original, so the marks sit on the original characters; a Latin word is marked only as a whole
/// word (the index matches whole words), and a mark never splits a surrogate pair.
/// </summary>
public static class Highlighter
{
    /// <summary>HTML-encoded <paramref name="text"/> with every match wrapped in &lt;mark&gt;.</summary>
    public static string Highlight(string text, IEnumerable<SearchTerm> terms) =>
        Render(text, 0, text.Length, Matches(text, terms));

    /// <summary>
    /// About <paramref name="length"/> characters of <paramref name="text"/> around the densest stretch of matches,
    /// HTML-encoded and marked, with an ellipsis where text was cut. The start of the text when nothing matches.
    /// </summary>
    public static string Snippet(string text, IEnumerable<SearchTerm> terms, int length = 120)
    {
        text = CollapseSpace(text);
        var matches = Matches(text, terms);
        if (text.Length <= length)
        {
            return Render(text, 0, text.Length, matches);
        }
        var start = 0;
        if (matches.Count > 0)
        {
            // The window holding the most matches, its first match a little in from the left edge.
            var best = 0;
            for (int i = 0, j = 0; i < matches.Count; i++)
            {
                j = Math.Max(j, i);
                while (j < matches.Count && matches[j].Start + matches[j].Length <= matches[i].Start + length)
                {
                    j++;
                }
                var count = j - i;
                if (count > best)
                {
                    best = count;
                    start = matches[i].Start;
                }
            }
            start = Math.Max(0, start - length / 6);
        }
        start = Math.Min(start, text.Length - length);
        if (start > 0 && char.IsLowSurrogate(text[start]))
        {
            start--;
        }
        var end = Math.Min(text.Length, start + length);
        if (end < text.Length && char.IsLowSurrogate(text[end]))
        {
            end++;
        }
        var inner = matches.Where(m => m.Start >= start && m.Start + m.Length <= end).ToList();
        return (start > 0 ? "…" : "") + Render(text, start, end, inner) + (end < text.Length ? "…" : "");
    }

    private readonly record struct Match(int Start, int Length);

    private static List<Match> Matches(string text, IEnumerable<SearchTerm> terms)
    {
        var folded = ChineseText.Fold(text);
        var found = new List<Match>();
        foreach (var term in terms)
        {
            // A phrase is marked run by run: "济南 湘西" marks both words wherever they stand together.
            foreach (var run in ChineseText.Runs(term.Text))
            {
                var needle = term.Text.Substring(run.Start, run.Length);
                var wholeWord = run.Kind == ChineseText.RunKind.Word;
                // Occurrences may overlap (哈哈 in 哈哈哈): look again one character on, and let the merge join them.
                for (var at = folded.IndexOf(needle, StringComparison.Ordinal); at >= 0;
                     at = folded.IndexOf(needle, at + 1, StringComparison.Ordinal))
                {
                    if (!wholeWord || (IsWordBoundary(folded, at - 1) && IsWordBoundary(folded, at + needle.Length)))
                    {
                        found.Add(new Match(at, needle.Length));
                    }
                }
            }
        }
        // Overlapping and touching matches become one mark.
        var merged = new List<Match>();
        foreach (var m in found.OrderBy(m => m.Start))
        {
            if (merged.Count > 0 && m.Start <= merged[^1].Start + merged[^1].Length)
            {
                var last = merged[^1];
                merged[^1] = last with { Length = Math.Max(last.Length, m.Start + m.Length - last.Start) };
            }
            else
            {
                merged.Add(m);
            }
        }
        return merged;
    }

    /// <summary>Whether position <paramref name="at"/> cannot continue a Latin word (digits and Chinese start runs of their own).</summary>
    private static bool IsWordBoundary(string folded, int at) =>
        at < 0 || at >= folded.Length || !char.IsLetter(folded[at]) || ChineseText.IsChinese(folded[at]);

    private static string Render(string text, int start, int end, IReadOnlyList<Match> matches)
    {
        var html = new StringBuilder();
        var at = start;
        foreach (var m in matches)
        {
            if (m.Start < at || m.Start + m.Length > end)
            {
                continue;
            }
            html.Append(WebUtility.HtmlEncode(text[at..m.Start]))
                .Append("<mark>").Append(WebUtility.HtmlEncode(text.Substring(m.Start, m.Length))).Append("</mark>");
            at = m.Start + m.Length;
        }
        return html.Append(WebUtility.HtmlEncode(text[at..end])).ToString();
    }

    /// <summary>
    /// Whitespace runs (paragraph breaks among them) become one space, except between two Chinese characters or
    /// after Chinese punctuation, where Chinese text has no space: "可推广。近年来", not "可推广。 近年来".
    /// </summary>
    private static string CollapseSpace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pending = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pending = sb.Length > 0;
                continue;
            }
            if (pending && !(IsCjk(sb[^1]) && (IsCjk(c) || IsCjkPunctuation(c))) && !IsCjkPunctuation(sb[^1]))
            {
                sb.Append(' ');
            }
            pending = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' || IsCjkPunctuation(c)
        || char.IsSurrogate(c);

    /// <summary>CJK symbols and punctuation (、。〈〉《》「」【】…) and the fullwidth forms (，！？：；（）).</summary>
    private static bool IsCjkPunctuation(char c) =>
        c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFF65' or '\u2014' or '\u2026' or '\u201C' or '\u201D' or '\u2018' or '\u2019';
}
