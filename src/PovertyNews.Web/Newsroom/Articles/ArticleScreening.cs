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
public sealed class ArticleScreening(TextScreening screening, MarkdownRenderer markdown)
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
        var texts = Texts(input);
        var (replaced, results) = await screening.ReplaceAsync(texts, ct);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!ReferenceEquals(results[i], texts[i].Text))
            {
                Fields[i].Set(input, results[i]!);
            }
        }
        return replaced;
    }

    /// <summary>Every listed word in the input's fields (an empty 摘要 is the automatic one and is not checked twice).</summary>
    public Task<SensitiveWordReport> ScreenAsync(ArticleInput input, CancellationToken ct) => screening.ScreenAsync(Texts(input), ct);

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

    private static List<ScreenedText> Texts(ArticleInput input) =>
        [.. Fields.Select(f => new ScreenedText(f.Name, f.Label, f.IsMarkdown, f.Multiline, Text(f, input)))];

    private static string? Text(Field field, ArticleInput input)
    {
        var value = field.Get(input);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return field.IsMarkdown ? ArticleEditor.NormalizeBody(value) : value;
    }
}
