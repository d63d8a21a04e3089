using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using AngleSharp.Dom;
using Ganss.Xss;
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
    public const int MaxLength = 1_000_000;

    /// <summary>Nesting of quotes and lists that is always accepted; the rejection message promises it.</summary>
    internal const int DocumentedNestingLevels = 30;

    /// <summary>
    /// Deepest Markdig syntax tree accepted. A list level costs two (list + item), a quote one, plus paragraph and
    /// inline containers, so 64 lets <see cref="DocumentedNestingLevels"/> levels of lists through with room to spare.
    /// </summary>
    internal const int MaxTreeDepth = 64;

    /// <summary>
    /// Largest nesting a single line may announce before Markdig sees it: container markers at its start ('>', list
    /// bullets, "1.") plus half its leading indentation (a nested list level needs at least two columns). This
    /// over-estimates (ordered lists take three columns a level), which is why it is about twice the documented limit.
    /// </summary>
    internal const int MaxLineNesting = 64;

    /// <summary>
    /// Budget for Σ over blocks (runs of non-blank lines) of length × number of ASCII punctuation characters. Some
    /// Markdig inline rules are quadratic within one paragraph: each unclosed <c>[a](</c> scans to the end of its line,
    /// each of thousands of nested <c>[</c> looks back over the others, each bare URL of the auto-link extension costs
    /// the length of its paragraph. All are triggered by punctuation, so a block's work is bounded by its length times
    /// its punctuation count. At this budget the worst such inputs measured here parse in under a second, while
    /// ordinary prose is orders of magnitude below it (1,000,000 characters of paragraphs of 1,000 characters with 20
    /// punctuation marks each cost 2e7).
    /// </summary>
    internal const long MarkupCostBudget = 500_000_000;

    /// <summary>
    /// Largest HTML handed to the sanitizer. Markdig's output is usually about 1.2 times the Markdown; some syntax
    /// (thousands of footnotes) multiplies it by eight, and parsing that much HTML again would take seconds.
    /// </summary>
    internal const int MaxHtmlLength = 4_000_000;

    /// <summary>
    /// Most elements handed to the sanitizer, which spends 10–15 µs on each (so under a second at this limit).
    /// A 1,000,000-character article of ordinary paragraphs, each with a link and some emphasis, has about 25,000.
    /// </summary>
    internal const int MaxHtmlElements = 60_000;

    /// <summary>
    /// Most footnote markers (<c>[^</c>, references and definitions alike). Markdig needs about two seconds for
    /// 50,000 footnotes before the element limit could refuse them; articles have a few dozen.
    /// </summary>
    internal const int MaxFootnoteMarkers = 4_000;

    /// <summary>Last resort if some input still runs away: the caller gets an answer after this long.</summary>
    internal static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(10);

    // Markdig and AngleSharp are recursive (the renderers walk the tree depth-first). A StackOverflowException cannot
    // be caught in .NET: it kills the whole process. Three guards, cheapest first:
    //  1. Before Markdig, a one-pass scan refuses a line that opens more than MaxLineNesting containers (markers and
    //     indentation). This is not only about the stack: Markdig handles a line that opens d containers in O(d²), so
    //     "- " repeated 10,000 times costs seconds before Markdig's own limit fires.
    //  2. Markdig 1.x refuses a syntax tree deeper than MaximumNestingDepth (it throws ArgumentException while parsing,
    //     which we turn into MarkdownRejectedException). This is the real parser's view, so it also covers what no
    //     line scan sees (nested emphasis, links, images; lazy continuation lines), and the HTML produced is then no
    //     deeper than that either, which bounds the sanitizer and the serializer.
    //  3. All the work runs on a dedicated thread with a 64 MB stack (reserved, not committed, so it costs no real
    //     memory), so any recursive path the limits above miss has ~40 times the head room of a thread-pool thread.
    //     The dedicated thread also lets the caller stop waiting after RenderTimeout.
    private const int WorkerStackSize = 64 * 1024 * 1024;

    private const string TooLongMessage = "正文过长（超过 1,000,000 个字符），请拆分为多篇稿件。";
    private static readonly string TooDeepMessage =
        $"正文嵌套层级过深，请简化引用、列表或强调标记的嵌套结构（引用和列表的嵌套请勿超过 {DocumentedNestingLevels} 层）。";
    private const string TooDenseMessage =
        "正文中有段落或表格过长且标记符号过多，排版开销过大。请用空行把它拆成较短的几段，或将稿件拆分为多篇。";
    private const string TooMuchHtmlMessage = "正文排版后的内容过多（脚注、链接、标题或表格单元格过多），请精简或将稿件拆分为多篇。";
    private const string TooManyFootnotesMessage = "正文中的脚注过多（超过 2,000 个），请精简或将稿件拆分为多篇。";
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
    private readonly MarkdownPipeline _locatingPipeline;
    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _pipeline = BuildPipeline(preciseSourceLocation: false);
        _locatingPipeline = BuildPipeline(preciseSourceLocation: true);
        _sanitizer = BuildSanitizer();
    }

    /// <summary>Renders Markdown to sanitised HTML. Throws <see cref="MarkdownRejectedException"/> for input it refuses.</summary>
    public string Render(string markdown)
    {
        var text = Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => RenderCore(text), RenderTimeout);
    }

    /// <summary>
    /// The text of the Markdown without markup, for summaries and search, with runs of whitespace collapsed to one
    /// space. The result is text, not HTML (encode it when writing it into a page). Throws
    /// <see cref="MarkdownRejectedException"/> for input too long, too deeply nested or too dense to parse safely,
    /// with the same checks and messages as <see cref="Render"/>.
    /// </summary>
    public string ToPlainText(string markdown)
    {
        var text = Prepare(markdown);
        return text.Length == 0 ? string.Empty : RunGuarded(() => PlainTextCore(text), RenderTimeout);
    }

    /// <summary>
    /// The syntax tree of the Markdown with every inline's exact position in <paramref name="markdown"/>, for tools
    /// that map text back to the source (the sensitive-word check). Same extensions, checks and messages as
    /// <see cref="Render"/>; the text must already have \n line endings, or positions would shift.
    /// </summary>
    public MarkdownDocument ParseWithSourcePositions(string markdown)
    {
        var text = Prepare(markdown);
        if (!ReferenceEquals(text, markdown) && text.Length > 0)
        {
            throw new ArgumentException("Normalise line endings to \\n before asking for source positions.", nameof(markdown));
        }
        return text.Length == 0 ? new MarkdownDocument() : RunGuarded(() => Parse(text, _locatingPipeline), RenderTimeout);
    }

    /// <summary>The sanitizer stage alone, for tests that feed it raw HTML Markdig would never produce.</summary>
    internal string SanitizeHtml(string html) => SanitizedHtmlWriter.Serialize(_sanitizer.SanitizeDom(html, string.Empty).Body);

    private static MarkdownPipeline BuildPipeline(bool preciseSourceLocation)
    {
        // The advanced extensions one by one, without generic attributes ({onclick=...}), media links (iframes),
        // mathematics, diagrams, emoji, smarty pants and bootstrap classes. Auto-identifiers are not Markdig's: its
        // extension is quadratic in the number of identical headings, so RenderCore assigns ids itself (UniqueId).
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
        builder.MaximumNestingDepth = MaxTreeDepth;
        if (preciseSourceLocation)
        {
            builder.UsePreciseSourceLocation();
        }
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
                        e.ReplacementNodes.Add(e.Document.CreateTextNode(string.Empty)); // i.e. remove it
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
        var (nesting, cost, footnotes) = Measure(text);
        if (nesting > MaxLineNesting)
        {
            throw new MarkdownRejectedException(TooDeepMessage);
        }

        if (cost > MarkupCostBudget)
        {
            throw new MarkdownRejectedException(TooDenseMessage);
        }

        if (footnotes > MaxFootnoteMarkers)
        {
            throw new MarkdownRejectedException(TooManyFootnotesMessage);
        }

        return text;
    }

    /// <summary>
    /// One pass over the lines: the largest <see cref="LineNesting"/>, Σ over blocks (runs of non-blank lines) of
    /// length × ASCII punctuation count (see <see cref="MarkupCostBudget"/>) and the number of footnote markers.
    /// </summary>
    internal static (int MaxNesting, long MarkupCost, int FootnoteMarkers) Measure(string text)
    {
        var maxNesting = 0;
        var footnotes = 0;
        long cost = 0;
        long blockLength = 0;
        long blockPunctuation = 0;
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            lineStart = lineEnd + 1;

            if (line.IsWhiteSpace())
            {
                cost += blockLength * blockPunctuation;
                blockLength = blockPunctuation = 0;
                continue;
            }

            maxNesting = Math.Max(maxNesting, LineNesting(line));
            blockLength += line.Length + 1;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (char.IsAsciiLetterOrDigit(c) || c > '~' || c <= ' ')
                {
                    continue;
                }

                blockPunctuation++;
                if (c == '^' && i > 0 && line[i - 1] == '[')
                {
                    footnotes++;
                }
            }
        }

        return (maxNesting, cost + blockLength * blockPunctuation, footnotes);
    }

    /// <summary>How many containers a line can open at most: markers at its start plus half its indentation.</summary>
    internal static int LineNesting(ReadOnlySpan<char> line)
    {
        var columns = 0;
        var markers = 0;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ')
            {
                columns++;
                i++;
            }
            else if (c == '\t')
            {
                columns += 4 - columns % 4;
                i++;
            }
            else if (c == '>')
            {
                markers++;
                columns++;
                i++;
            }
            else if (c is '-' or '*' or '+' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t'))
            {
                markers++;
                columns++;
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var j = i;
                while (j < line.Length && j - i < 9 && char.IsAsciiDigit(line[j]))
                {
                    j++;
                }

                if (j < line.Length && line[j] is '.' or ')' && (j + 1 == line.Length || line[j + 1] is ' ' or '\t'))
                {
                    markers++;
                    columns += j + 1 - i;
                    i = j + 1;
                }
                else
                {
                    break;
                }
            }
            else
            {
                break;
            }
        }

        if (i == line.Length && IsThematicBreak(line))
        {
            return 0; // "* * * * *" or "- - - -" is a horizontal rule, not nested lists
        }

        return markers + (columns - markers) / 2;
    }

    private static bool IsThematicBreak(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] is not ('-' or '*' or '_'))
        {
            return false;
        }

        var count = 0;
        foreach (var c in trimmed)
        {
            if (c == trimmed[0])
            {
                count++;
            }
            else if (c is not (' ' or '\t'))
            {
                return false;
            }
        }

        return count >= 3;
    }

    internal static string RunGuarded(Func<string> work, TimeSpan timeout) => RunGuarded<string>(work, timeout);

    /// <summary>Runs <paramref name="work"/> on a fresh thread with a large stack; see the comment on <see cref="WorkerStackSize"/>.</summary>
    internal static T RunGuarded<T>(Func<T> work, TimeSpan timeout)
    {
        T? result = default;
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
        if (!thread.Join(timeout))
        {
            throw new MarkdownRejectedException(TimeoutMessage);
        }

        failure?.Throw();
        return result!;
    }

    private MarkdownDocument Parse(string text) => Parse(text, _pipeline);

    private static MarkdownDocument Parse(string text, MarkdownPipeline pipeline)
    {
        try
        {
            return Markdig.Markdown.Parse(text, pipeline);
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
        var headings = new List<HeadingBlock>();
        foreach (var block in document.Descendants())
        {
            switch (block)
            {
                case HeadingBlock heading:
                    headings.Add(heading);
                    heading.GetAttributes().Id = UniqueId(Slug(heading), headingIds, nextSuffix);
                    break;
                case Table table:
                    MoveAlignmentToAttributes(table);
                    break;
            }
        }
        NormaliseHeadingLevels(headings);

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

        if (html.Length > MaxHtmlLength || CountStartTags(html) > MaxHtmlElements)
        {
            throw new MarkdownRejectedException(TooMuchHtmlMessage);
        }

        // SanitizeDom, not Sanitize: AngleSharp's own serializer is quadratic in the number of siblings (20,000
        // paragraphs take seconds), so SanitizedHtmlWriter writes the sanitised tree out instead.
        return SanitizedHtmlWriter.Serialize(_sanitizer.SanitizeDom(html, string.Empty).Body);
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

    /// <summary>
    /// The page already has its &lt;h1&gt; (the article title), so the body's top heading level becomes &lt;h2&gt;
    /// ('#' when the body uses it, else '##' — which authors write under a title out of habit), and a heading is
    /// never more than one level below the one before it: a skipped level is an error for HTML checkers and a
    /// gap in the outline screen-reader users navigate by.
    /// </summary>
    private static void NormaliseHeadingLevels(List<HeadingBlock> headings)
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

/// <summary>
/// Writes a sanitised DOM back out as HTML, in linear time. Follows the HTML fragment serialisation algorithm for the
/// elements the sanitizer lets through; text is always escaped (no raw-text element such as script or style survives
/// the sanitizer), and attribute values escape &lt; and &gt; as well, so nothing can re-parse differently.
/// </summary>
internal static class SanitizedHtmlWriter
{
    private static readonly HashSet<string> VoidElements =
    [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ];

    public static string Serialize(IElement? root)
    {
        if (root is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        WriteChildren(builder, root);
        return builder.ToString();
    }

    private static void WriteChildren(StringBuilder builder, INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IElement element:
                    WriteElement(builder, element);
                    break;
                case IText text:
                    WriteEscaped(builder, text.Data, attribute: false);
                    break;
            }
        }
    }

    private static void WriteElement(StringBuilder builder, IElement element)
    {
        var name = element.LocalName;
        builder.Append('<').Append(name);
        foreach (var attribute in element.Attributes)
        {
            builder.Append(' ').Append(attribute.Name).Append("=\"");
            WriteEscaped(builder, attribute.Value, attribute: true);
            builder.Append('"');
        }

        builder.Append('>');
        if (VoidElements.Contains(name))
        {
            return;
        }

        // The parser drops a newline right after <pre>; write one more so a leading newline of the content survives.
        if (name is "pre" or "textarea" or "listing" && element.FirstChild is IText { Data: ['\n', ..] })
        {
            builder.Append('\n');
        }

        WriteChildren(builder, element);
        builder.Append("</").Append(name).Append('>');
    }

    private static void WriteEscaped(StringBuilder builder, string value, bool attribute)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\u00A0':
                    builder.Append("&nbsp;");
                    break;
                case '"' when attribute:
                    builder.Append("&quot;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}

/// <summary>Input the renderer refuses (too large, too deeply nested); the message is shown to the editor in Chinese.</summary>
public sealed class MarkdownRejectedException(string message) : Exception(message);
