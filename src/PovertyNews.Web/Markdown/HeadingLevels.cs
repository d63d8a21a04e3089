using Markdig.Syntax;

namespace PovertyNews.Web.Markdown;

internal static class HeadingLevels
{
    /// <summary>
    /// The page already has its &lt;h1&gt; (the article title), so the body's top heading level becomes &lt;h2&gt;
    /// ('#' when the body uses it, else '##' — which authors write under a title out of habit), and a heading is
    /// never more than one level below the one before it: a skipped level is an error for HTML checkers and a
    /// gap in the outline screen-reader users navigate by.
    /// </summary>
    public static void Normalise(List<HeadingBlock> headings)
    {
        if (headings.Count == 0)
        {
            return;
        }
        var shift = 2 - headings.Min(h => h.Level);
        var previous = 1;
        foreach (var heading in headings)
        {
            heading.Level = Math.Clamp(Math.Min(heading.Level + shift, previous + 1), 2, 6);
            previous = heading.Level;
        }
    }
}
