namespace PovertyNews.Web.Markdown;

/// <summary>
/// What the renderer accepts, and the Chinese messages that tell an editor which limit a body broke. The checks that
/// enforce them live where the work happens (<see cref="MarkdownInputScan"/> before Markdig, the renderer after it).
/// </summary>
internal static class MarkdownLimits
{
    /// <summary>Longest body accepted, in UTF-16 characters.</summary>
    public const int MaxLength = 1_000_000;

    /// <summary>Nesting of quotes and lists that is always accepted; the rejection message promises it.</summary>
    public const int DocumentedNestingLevels = 30;

    /// <summary>
    /// Deepest Markdig syntax tree accepted. A list level costs two (list + item), a quote one, plus paragraph and
    /// inline containers, so 64 lets <see cref="DocumentedNestingLevels"/> levels of lists through with room to spare.
    /// </summary>
    public const int MaxTreeDepth = 64;

    /// <summary>
    /// Largest nesting a single line may announce before Markdig sees it: container markers at its start ('>', list
    /// bullets, "1.") plus half its leading indentation (a nested list level needs at least two columns). This
    /// over-estimates (ordered lists take three columns a level), which is why it is about twice the documented limit.
    /// </summary>
    public const int MaxLineNesting = 64;

    /// <summary>
    /// Budget for Σ over blocks (runs of non-blank lines) of length × number of ASCII punctuation characters. Some
    /// Markdig inline rules are quadratic within one paragraph: each unclosed <c>[a](</c> scans to the end of its line,
    /// each of thousands of nested <c>[</c> looks back over the others, each bare URL of the auto-link extension costs
    /// the length of its paragraph. All are triggered by punctuation, so a block's work is bounded by its length times
    /// its punctuation count. At this budget the worst such inputs measured here parse in under a second, while
    /// ordinary prose is orders of magnitude below it (1,000,000 characters of paragraphs of 1,000 characters with 20
    /// punctuation marks each cost 2e7).
    /// </summary>
    public const long MarkupCostBudget = 500_000_000;

    /// <summary>
    /// Largest HTML handed to the sanitizer. Markdig's output is usually about 1.2 times the Markdown; some syntax
    /// (thousands of footnotes) multiplies it by eight, and parsing that much HTML again would take seconds.
    /// </summary>
    public const int MaxHtmlLength = 4_000_000;

    /// <summary>
    /// Most elements handed to the sanitizer, which spends 10–15 µs on each (so under a second at this limit).
    /// A 1,000,000-character article of ordinary paragraphs, each with a link and some emphasis, has about 25,000.
    /// </summary>
    public const int MaxHtmlElements = 60_000;

    /// <summary>
    /// Most footnote markers (<c>[^</c>, references and definitions alike). Markdig needs about two seconds for
    /// 50,000 footnotes before the element limit could refuse them; articles have a few dozen.
    /// </summary>
    public const int MaxFootnoteMarkers = 4_000;

    /// <summary>Last resort if some input still runs away: the caller gets an answer after this long.</summary>
    public static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(10);

    public const string TooLongMessage = "正文过长（超过 1,000,000 个字符），请拆分为多篇稿件。";
    public static readonly string TooDeepMessage =
        $"正文嵌套层级过深，请简化引用、列表或强调标记的嵌套结构（引用和列表的嵌套请勿超过 {DocumentedNestingLevels} 层）。";
    public const string TooDenseMessage =
        "正文中有段落或表格过长且标记符号过多，排版开销过大。请用空行把它拆成较短的几段，或将稿件拆分为多篇。";
    public const string TooMuchHtmlMessage = "正文排版后的内容过多（脚注、链接、标题或表格单元格过多），请精简或将稿件拆分为多篇。";
    public const string TooManyFootnotesMessage = "正文中的脚注过多（超过 2,000 个），请精简或将稿件拆分为多篇。";
    public const string TimeoutMessage = "正文结构过于复杂，排版超时，请简化格式后重试。";
}
