using Markdig;
using Markdig.Syntax;

namespace PovertyNews.Web.Markdown;

/// <summary>The Markdig pipeline articles are parsed with: which extensions are on, and how deep a tree may get.</summary>
internal static class MarkdownPipelines
{
    public static MarkdownPipeline Build(bool preciseSourceLocation)
    {
        // The advanced extensions one by one, without generic attributes ({onclick=...}), media links (iframes),
        // mathematics, diagrams, emoji, smarty pants and bootstrap classes. Auto-identifiers are not Markdig's: its
        // extension is quadratic in the number of identical headings, so the renderer assigns ids itself (HeadingIds).
        var builder = new MarkdownPipelineBuilder()
            .UseAbbreviations()
            .UseCitations()
            .UseCustomContainers()
            .UseDefinitionLists()
            .UseEmphasisExtras()
            .UseFigures()
            .UseFooters()
            .UseFootnotes()
            .UseGridTables()
            .UsePipeTables()
            .UseListExtras()
            .UseTaskLists()
            .UseAutoLinks()
            .UseCjkFriendlyEmphasis()
            .DisableHtml();
        builder.MaximumNestingDepth = MarkdownLimits.MaxTreeDepth;
        if (preciseSourceLocation)
        {
            builder.UsePreciseSourceLocation();
        }
        return builder.Build();
    }

    public static MarkdownDocument Parse(string text, MarkdownPipeline pipeline)
    {
        try
        {
            return Markdig.Markdown.Parse(text, pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig 1.x: "Markdown elements in the input are too deeply nested - depth limit exceeded".
            throw new MarkdownRejectedException(MarkdownLimits.TooDeepMessage);
        }
    }
}
