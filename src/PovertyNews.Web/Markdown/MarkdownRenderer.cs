using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
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
    public const int MaxLength = 1_000_000;

    /// <summary>
    /// Deepest Markdig syntax tree accepted. A list level costs two (list + item), a quote one, plus paragraph and
    /// inline containers, so 64 lets through any sensible article (about 30 levels of lists, 60 of quotes).
    /// </summary>
    internal const int MaxNestingDepth = 64;

    /// <summary>Nesting the rejection message promises is always accepted (lists nested this deep fit in <see cref="MaxNestingDepth"/>).</summary>
    internal const int DocumentedNestingLevels = 30;

    /// <summary>
    /// Budget for the sum over blocks (runs of non-blank lines) of their squared length. Some Markdig inline rules are
    /// quadratic in the length of one paragraph (an unclosed <c>[a](</c> scans to the end of the line, each bare URL of
    /// the auto-link extension costs the length of its paragraph, ...). Bounding Σ L² bounds that work: at this
    /// budget the worst such inputs measured here take about a second, while ordinary articles are orders of
    /// magnitude below it (a 1,000,000-character body made of 1,000-character paragraphs separated by blank lines
    /// sums to 1e9).
    /// </summary>
    internal const long BlockCostBudget = 2_000_000_000;

    /// <summary>Last resort if some input still runs away: the caller gets an answer after this long.</summary>
    internal static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(5);

    // Markdig and AngleSharp are recursive (the renderer walks the tree depth-first, AngleSharp serialises
    // recursively). A StackOverflowException cannot be caught in .NET: it kills the whole process. Two guards:
    //  1. Markdig 1.x itself refuses a syntax tree deeper than MaximumNestingDepth (it throws ArgumentException during
    //     parsing, before any deep recursion), which we turn into MarkdownRejectedException. Unlike a line-by-line
    //     pre-scan of '>' and list markers this uses the real parser, so it can neither be fooled (lazy continuation
    //     lines, nested emphasis or links, which no cheap pre-scan sees) nor wrongly refuse a '>>>>' line inside a
    //     code block; and the HTML it produces is then at most about that deep too, which bounds AngleSharp.
    //  2. All the work runs on a dedicated thread with a 64 MB stack (reserved, not committed, so it costs no real
    //     memory), so any recursive path the depth limit does not cover has ~40 times the head room of a thread-pool
    //     thread. The dedicated thread also lets the caller stop waiting after RenderTimeout.
    private const int WorkerStackSize = 64 * 1024 * 1024;

    private const string TooLongMessage = "正文过长（超过 1,000,000 个字符），请拆分为多篇稿件。";
    private static readonly string TooDeepMessage =
        $"正文嵌套层级过深，请简化引用、列表或强调标记的嵌套结构（引用和列表嵌套请勿超过 {DocumentedNestingLevels} 层）。";
    private const string TooDenseMessage =
        "正文中的段落或表格过长，排版开销过大。请用空行把长段落、长表格拆成较短的几段，或将稿件拆分为多篇。";
    private const string TimeoutMessage = "正文结构过于复杂，排版超时，请简化格式后重试。";

    private static readonly string[] AllowedTagNames =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "ins", "mark", "sub", "sup", "code", "pre", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td",
        "a", "img", "figure", "figcaption", "abbr", "cite", "footer", "div", "span", "section",
        "input", // only the disabled checkbox of task lists survives PostProcessNode
    ];

    private static readonly string[] AllowedAttributeNames =
    [
        "href", "src", "alt", "title", "id", "class", "colspan", "rowspan", "start", "align",
        "type", "checked", "disabled", // ol type="a" of list extras; the task-list checkbox
    ];

    private readonly MarkdownPipeline _pipeline;
    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _pipeline = BuildPipeline();
        _sanitizer = BuildSanitizer();
    }

    /// <summary>Renders Markdown to sanitised HTML. Throws <see cref="MarkdownRejectedException"/> for input it refuses.</summary>
    public string Render(string markdown)
    {
        var text = Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => RenderCore(text));
    }

    /// <summary>
    /// The text of the Markdown without markup, for summaries and search, with runs of whitespace collapsed to one
    /// space. The result is text, not HTML (encode it when writing it into a page). Throws
    /// <see cref="MarkdownRejectedException"/> for the same input <see cref="Render"/> refuses.
    /// </summary>
    public string ToPlainText(string markdown)
    {
        var text = Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => PlainTextCore(text));
    }

    /// <summary>The sanitizer stage alone, for tests that feed it raw HTML Markdig would never produce.</summary>
    internal string SanitizeHtml(string html) => _sanitizer.Sanitize(html);

    private static MarkdownPipeline BuildPipeline()
    {
        // The advanced extensions one by one, without generic attributes ({onclick=...}), media links (iframes),
        // mathematics, diagrams, emoji, smarty pants and bootstrap classes. Auto-identifiers are not Markdig's: its
        // extension is quadratic in the number of identical headings, so AssignHeadingIds does it in one pass.
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
        builder.MaximumNestingDepth = MaxNestingDepth;
        return builder.Build();
    }

    private static HtmlSanitizer BuildSanitizer()
    {
        var sanitizer = new HtmlSanitizer
        {
            AllowDataAttributes = false,
            AllowCssCustomProperties = false,
            // Markdig only emits its own tags (raw HTML is off); if one we do not list appears, keep its text.
            KeepChildNodes = true,
        };
        Reset(sanitizer.AllowedTags, AllowedTagNames);
        Reset(sanitizer.AllowedAttributes, AllowedAttributeNames);
        Reset(sanitizer.AllowedSchemes, ["http", "https", "mailto"]);
        Reset(sanitizer.UriAttributes, ["href", "src"]);
        sanitizer.UriListAttributes.Clear();
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedClasses.Clear(); // empty = any class (custom containers and code languages name their own)

        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element)
            {
                return;
            }

            switch (element.LocalName)
            {
                case "a" when IsExternal(element.GetAttribute("href")):
                    element.SetAttribute("rel", "nofollow noopener noreferrer");
                    break;
                case "img":
                    element.SetAttribute("loading", "lazy");
                    break;
                case "input":
                    if (string.Equals(element.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase))
                    {
                        element.SetAttribute("disabled", "disabled");
                    }
                    else
                    {
                        e.ReplacementNodes.Clear(); // an empty replacement list is not "remove"; detach it instead
                        element.Remove();
                    }

                    break;
            }
        };

        // Tables get a wrapper that CSS can scroll horizontally on phones.
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var table in e.Document.QuerySelectorAll("table").ToArray())
            {
                if (table.ParentElement is { LocalName: "div" } parent && parent.ClassList.Contains("table-wrap"))
                {
                    continue;
                }

                var wrapper = e.Document.CreateElement("div");
                wrapper.ClassName = "table-wrap";
                table.Before(wrapper);
                wrapper.AppendChild(table);
            }
        };

        return sanitizer;
    }

    private static void Reset(ISet<string> set, IEnumerable<string> values)
    {
        set.Clear();
        set.UnionWith(values);
    }

    private static bool IsExternal(string? href) =>
        href is not null
        && (href.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("//", StringComparison.Ordinal));

    /// <summary>Null to empty, line endings to \n, then the cheap checks that run before Markdig.</summary>
    private static string Prepare(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        if (markdown.Length > MaxLength)
        {
            throw new MarkdownRejectedException(TooLongMessage);
        }

        var text = markdown.Contains('\r') ? markdown.ReplaceLineEndings("\n") : markdown;
        if (BlockCost(text) > BlockCostBudget)
        {
            throw new MarkdownRejectedException(TooDenseMessage);
        }

        return text;
    }

    /// <summary>Σ L² over runs of non-blank lines (L counts the characters of the run, newlines included).</summary>
    internal static long BlockCost(string text)
    {
        long total = 0;
        long run = 0;
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            if (line.IsWhiteSpace())
            {
                total += run * run;
                run = 0;
            }
            else
            {
                run += line.Length + 1;
            }

            lineStart = lineEnd + 1;
        }

        return total + run * run;
    }

    /// <summary>Runs <paramref name="work"/> on a fresh thread with a large stack; see the comment on <see cref="WorkerStackSize"/>.</summary>
    private static string RunGuarded(Func<string> work)
    {
        string? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            WorkerStackSize)
        {
            IsBackground = true,
            Name = "markdown-render",
        };
        thread.Start();

        // .NET cannot abort a thread: on timeout the worker finishes in the background (the length and block-cost
        // limits keep that bounded) and the caller gets its answer now.
        if (!thread.Join(RenderTimeout))
        {
            throw new MarkdownRejectedException(TimeoutMessage);
        }

        failure?.Throw();
        return result!;
    }

    private MarkdownDocument Parse(string text)
    {
        try
        {
            return Markdig.Markdown.Parse(text, _pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig 1.x: "Markdown elements in the input are too deeply nested - depth limit exceeded".
            throw new MarkdownRejectedException(TooDeepMessage);
        }
    }

    private string RenderCore(string text)
    {
        var document = Parse(text);
        var headingIds = new HashSet<string>(StringComparer.Ordinal);
        var nextSuffix = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var block in document.Descendants())
        {
            switch (block)
            {
                case HeadingBlock heading:
                    // The page already has its <h1> (the article title): '#' becomes <h2>, and so on.
                    heading.Level = Math.Min(heading.Level + 1, 6);
                    heading.GetAttributes().Id = UniqueId(Slug(heading), headingIds, nextSuffix);
                    break;
                case Table table:
                    MoveAlignmentToAttributes(table);
                    break;
            }
        }

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
            throw new MarkdownRejectedException(TooDeepMessage);
        }

        return _sanitizer.Sanitize(html);
    }

    private string PlainTextCore(string text)
    {
        var document = Parse(text);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer)
        {
            EnableHtmlForBlock = false,
            EnableHtmlForInline = false,
            EnableHtmlEscape = false,
        };
        _pipeline.Setup(renderer);
        try
        {
            renderer.Render(document);
        }
        catch (ArgumentException)
        {
            throw new MarkdownRejectedException(TooDeepMessage);
        }

        writer.Flush();
        return CollapseWhitespace(writer.ToString());
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

/// <summary>Input the renderer refuses (too large, too deeply nested); the message is shown to the editor in Chinese.</summary>
public sealed class MarkdownRejectedException(string message) : Exception(message);
