using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Extensions.Abbreviations;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PovertyNews.Web.Markdown;

/// <summary>
/// Turns the Markdown of an article into sanitised HTML, or into plain text for summaries and search.
/// </summary>
/// <remarks>
/// Registered as a singleton. The Markdig pipeline and the HtmlSanitizer are built once in the constructor and only
/// read afterwards (both are documented as thread-safe when used that way); every call creates its own Markdig
/// renderer and its own worker thread, so concurrent calls share no mutable state.
/// </remarks>
public sealed class MarkdownRenderer
{
    /// <summary>Longest body accepted, in UTF-16 characters.</summary>
    public const int MaxLength = MarkdownLimits.MaxLength;

    private readonly MarkdownPipeline _pipeline;
    private readonly MarkdownPipeline _locatingPipeline;
    private readonly MarkdownSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _pipeline = MarkdownPipelines.Build(preciseSourceLocation: false);
        _locatingPipeline = MarkdownPipelines.Build(preciseSourceLocation: true);
        _sanitizer = new MarkdownSanitizer();
    }

    /// <summary>Renders Markdown to sanitised HTML. Throws <see cref="MarkdownRejectedException"/> for input it refuses.</summary>
    public string Render(string markdown)
    {
        var text = MarkdownInputScan.Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => RenderCore(text), MarkdownLimits.RenderTimeout);
    }

    /// <summary>
    /// The text of the Markdown without markup, for summaries and search, with runs of whitespace collapsed to one
    /// space. The result is text, not HTML (encode it when writing it into a page). Throws
    /// <see cref="MarkdownRejectedException"/> for input too long, too deeply nested or too dense to parse safely,
    /// with the same checks and messages as <see cref="Render"/>.
    /// </summary>
    public string ToPlainText(string markdown)
    {
        var text = MarkdownInputScan.Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => PlainTextCore(text), MarkdownLimits.RenderTimeout);
    }

    /// <summary>
    /// The syntax tree of the Markdown with every inline's exact position in <paramref name="markdown"/>, for tools
    /// that map text back to the source (the sensitive-word check). Same extensions, checks and messages as
    /// <see cref="Render"/>; the text must already have \n line endings, or positions would shift.
    /// </summary>
    public MarkdownDocument ParseWithSourcePositions(string markdown)
    {
        var text = MarkdownInputScan.Prepare(markdown);
        if (!ReferenceEquals(text, markdown) && text.Length > 0)
        {
            throw new ArgumentException("Normalise line endings to \\n before asking for source positions.", nameof(markdown));
        }
        return text.Length == 0 ? new MarkdownDocument() : RunGuarded(() => MarkdownPipelines.Parse(text, _locatingPipeline), MarkdownLimits.RenderTimeout);
    }

    /// <summary>The sanitizer stage alone, for tests that feed it raw HTML Markdig would never produce.</summary>
    internal string SanitizeHtml(string html) => _sanitizer.Sanitize(html);

    internal static string RunGuarded(Func<string> work, TimeSpan timeout) => MarkdownTimeoutGuard.Run(work, timeout);

    /// <summary>Runs <paramref name="work"/> on a fresh thread with a large stack; see <see cref="MarkdownTimeoutGuard"/>.</summary>
    internal static T RunGuarded<T>(Func<T> work, TimeSpan timeout) => MarkdownTimeoutGuard.Run(work, timeout);

    private MarkdownDocument Parse(string text) => MarkdownPipelines.Parse(text, _pipeline);

    private string RenderCore(string text)
    {
        var document = Parse(text);
        var headingIds = new HeadingIds();
        var headings = new List<HeadingBlock>();
        foreach (var block in document.Descendants())
        {
            switch (block)
            {
                case HeadingBlock heading:
                    headings.Add(heading);
                    heading.GetAttributes().Id = headingIds.Next(heading);
                    break;
                case Table table:
                    MoveAlignmentToAttributes(table);
                    break;
            }
        }
        HeadingLevels.Normalise(headings);

        string html;
        try
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            var renderer = new HtmlRenderer(writer);
            _pipeline.Setup(renderer);
            renderer.Render(document);
            writer.Flush();
            html = writer.ToString();
        }
        catch (ArgumentException)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooDeepMessage);
        }

        if (html.Length > MarkdownLimits.MaxHtmlLength || CountStartTags(html) > MarkdownLimits.MaxHtmlElements)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooMuchHtmlMessage);
        }

        return _sanitizer.Sanitize(html);
    }

    private static int CountStartTags(string html)
    {
        var count = 0;
        var span = html.AsSpan();
        for (var i = span.IndexOf('<'); i >= 0; i = span.IndexOf('<'))
        {
            if (i + 1 < span.Length && span[i + 1] != '/')
            {
                count++;
            }

            span = span[(i + 1)..];
        }

        return count;
    }

    /// <summary>
    /// Walks the syntax tree rather than using Markdig's plain-text renderer, which still writes the tags of some
    /// extensions (definition lists, figures) and the "[x]" of task lists.
    /// </summary>
    private string PlainTextCore(string text)
    {
        var document = Parse(text);
        var builder = new StringBuilder(text.Length);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case CodeBlock code:
                    builder.Append(' ').Append(code.Lines.ToString()).Append(' ');
                    break;
                case LeafBlock:
                    builder.Append(' '); // keeps the text of consecutive blocks apart
                    break;
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case AbbreviationInline abbreviation:
                    builder.Append(abbreviation.Abbreviation.Label);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
            }
        }

        return CollapseWhitespace(builder.ToString());
    }

    /// <summary>
    /// Markdig writes table alignment as <c>style="text-align: …"</c>, and <c>style</c> is not allowed through the
    /// sanitizer; grid tables also write <c>&lt;col style="width:…"&gt;</c>. Carry the alignment as the
    /// <c>align</c> attribute instead and drop the widths.
    /// </summary>
    private static void MoveAlignmentToAttributes(Table table)
    {
        var columns = table.ColumnDefinitions;
        foreach (var row in table.OfType<TableRow>())
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (row[i] is not TableCell cell)
                {
                    continue;
                }

                var index = cell.ColumnIndex < 0 ? i : cell.ColumnIndex;
                if (index < columns.Count && columns[index].Alignment is { } alignment)
                {
                    cell.GetAttributes().AddPropertyIfNotExist("align", alignment switch
                    {
                        TableColumnAlign.Center => "center",
                        TableColumnAlign.Right => "right",
                        _ => "left",
                    });
                }
            }
        }

        foreach (var column in columns)
        {
            column.Alignment = null;
            column.Width = 0;
        }
    }


    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
