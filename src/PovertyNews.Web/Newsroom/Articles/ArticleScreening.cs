using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// Checks an article's reader-visible text against the sensitive-word list: replaces replace-words when the article
/// is saved (<see cref="ReplaceAsync"/>) and reports every listed word with its place (<see cref="ScreenAsync(ArticleInput, CancellationToken)"/>).
/// The body is read as a reader sees it (Markdown markup does not hide a word); positions refer to the stored text.
/// </summary>
public sealed class ArticleScreening(NewsDbContext db, SensitiveWordCache cache, MarkdownRenderer markdown, ILogger<ArticleScreening> logger)
{
    /// <summary>A checked field of the editor's input. Addresses (cover, video) are not text readers read and are left out.</summary>
    public sealed record Field(string Name, string Label, bool IsMarkdown, bool Multiline, Func<ArticleInput, string?> Get, Action<ArticleInput, string> Set);

    public static IReadOnlyList<Field> Fields { get; } =
    [
        new(nameof(ArticleInput.Title), "标题", false, false, i => i.Title, (i, v) => i.Title = v),
        new(nameof(ArticleInput.Subtitle), "副标题", false, false, i => i.Subtitle, (i, v) => i.Subtitle = v),
        new(nameof(ArticleInput.Summary), "摘要", false, true, i => i.Summary, (i, v) => i.Summary = v),
        new(nameof(ArticleInput.Body), "正文", true, true, i => i.Body, (i, v) => i.Body = v),
        new(nameof(ArticleInput.Tags), "标签", false, false, i => i.Tags, (i, v) => i.Tags = v),
        new(nameof(ArticleInput.Source), "来源", false, false, i => i.Source, (i, v) => i.Source = v),
        new(nameof(ArticleInput.ReprintedFrom), "转自", false, false, i => i.ReprintedFrom, (i, v) => i.ReprintedFrom = v),
        new(nameof(ArticleInput.Author), "作者", false, false, i => i.Author, (i, v) => i.Author = v),
        new(nameof(ArticleInput.ResponsibleEditor), "责任编辑", false, false, i => i.ResponsibleEditor, (i, v) => i.ResponsibleEditor = v),
        new(nameof(ArticleInput.ContactHotline), "新闻热线", false, false, i => i.ContactHotline, (i, v) => i.ContactHotline = v),
        new(nameof(ArticleInput.ContactWeChat), "微信公众号", false, false, i => i.ContactWeChat, (i, v) => i.ContactWeChat = v),
        new(nameof(ArticleInput.CoverImageAlt), "封面说明", false, false, i => i.CoverImageAlt, (i, v) => i.CoverImageAlt = v),
        new(nameof(ArticleInput.CorrectionNote), "更正说明", false, true, i => i.CorrectionNote, (i, v) => i.CorrectionNote = v),
    ];

    /// <summary>
    /// Replaces every replace-word in the input's fields with one <see cref="SensitiveWord.Mask"/> per character,
    /// leaving markup, spaces and everything else as typed. Returns the words replaced, with counts.
    /// </summary>
    public async Task<IReadOnlyList<ReplacedWord>> ReplaceAsync(ArticleInput input, CancellationToken ct)
    {
        var list = await cache.GetAsync(db, ct);
        if (list.Count == 0)
        {
            return [];
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (Text(field, input) is not { } source)
            {
                continue;
            }
            var projection = Project(field, source);
            var replace = list.Find(projection).Where(m => m.Entry.Action == SensitiveWordAction.Replace).ToList();
            if (replace.Count == 0)
            {
                continue;
            }
            foreach (var match in replace)
            {
                counts[match.Entry.Word] = counts.GetValueOrDefault(match.Entry.Word) + 1;
            }
            field.Set(input, projection.Mask(replace.Select(m => (m.Start, m.End)), SensitiveWord.Mask));
        }
        return [.. counts.Select(c => new ReplacedWord(c.Key, c.Value))];
    }

    /// <summary>Every listed word in the input's fields (an empty 摘要 is the automatic one and is not checked twice).</summary>
    public async Task<SensitiveWordReport> ScreenAsync(ArticleInput input, CancellationToken ct)
    {
        var list = await cache.GetAsync(db, ct);
        return list.Count == 0 ? SensitiveWordReport.Empty : Screen(list, input);
    }

    /// <summary>A stored article, loaded with its tags.</summary>
    public Task<SensitiveWordReport> ScreenAsync(Article article, CancellationToken ct)
    {
        var input = ArticleInput.From(article);
        if (ArticleEditor.IsAutomaticSummary(markdown, article))
        {
            input.Summary = null; // the start of the body, already checked there
        }
        return ScreenAsync(input, ct);
    }

    private SensitiveWordReport Screen(SensitiveWordList list, ArticleInput input)
    {
        var hits = new List<SensitiveWordHit>();
        var omitted = 0;
        foreach (var field in Fields)
        {
            if (Text(field, input) is not { } source)
            {
                continue;
            }
            var projection = Project(field, source);
            var matches = list.Find(projection);
            if (matches.Count == 0)
            {
                continue;
            }
            var lines = SensitiveWordReport.LineStarts(source);
            foreach (var match in matches)
            {
                if (hits.Count >= SensitiveWordReport.MaxHits)
                {
                    omitted++;
                    continue;
                }
                var (start, end) = projection.SourceRange(match.Start, match.End);
                hits.Add(SensitiveWordReport.Hit(field.Name, field.Label, field.Multiline, match.Entry, source, lines, start, end,
                    projection.Hidden(match.Start, match.End).Select(h => h.CodePoint)));
            }
        }
        return new SensitiveWordReport(hits, omitted);
    }

    private static string? Text(Field field, ArticleInput input)
    {
        var value = field.Get(input);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return field.IsMarkdown ? ArticleEditor.NormalizeBody(value) : value;
    }

    /// <summary>The field as readers see it. A body Markdig refuses is read as plain text, so its words are still found.</summary>
    private TextProjection Project(Field field, string source)
    {
        if (!field.IsMarkdown)
        {
            return TextProjection.OfPlainText(source);
        }
        try
        {
            return TextProjection.OfMarkdown(source, markdown.ParseWithSourcePositions(source));
        }
        catch (MarkdownRejectedException ex)
        {
            logger.LogDebug("Body read as plain text for the sensitive-word check: {Reason}", ex.Message);
            return TextProjection.OfPlainText(source);
        }
    }
}
