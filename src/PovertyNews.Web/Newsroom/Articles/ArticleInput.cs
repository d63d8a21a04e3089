using System.ComponentModel.DataAnnotations;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// What the editor form posts: every part of an article's anatomy, as text. Simple limits are attributes; the rules
/// that need more than one field or the database are in <see cref="ArticleEditor.ValidateAsync"/>.
/// </summary>
public sealed class ArticleInput
{
    public const int MaxTags = ArticleRules.MaxTags;
    public const int MaxTagLength = ArticleRules.MaxTagLength;
    public const int ExcerptLength = 120;

    [Required(ErrorMessage = "请填写标题。")]
    [StringLength(200, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "标题")]
    public string? Title { get; set; }

    [StringLength(200, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "副标题")]
    public string? Subtitle { get; set; }

    [StringLength(1000, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "摘要")]
    public string? Summary { get; set; }

    [Required(ErrorMessage = "请选择栏目。")]
    [Display(Name = "栏目")]
    public int? ChannelId { get; set; }

    [StringLength(1000, ErrorMessage = "{0}总长不能超过 {1} 个字。")]
    [Display(Name = "标签")]
    public string? Tags { get; set; }

    [StringLength(100, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "来源")]
    public string? Source { get; set; }

    [StringLength(100, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "转自")]
    public string? ReprintedFrom { get; set; }

    [StringLength(100, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "作者")]
    public string? Author { get; set; }

    [StringLength(100, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "责任编辑")]
    public string? ResponsibleEditor { get; set; }

    [StringLength(50, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "新闻热线")]
    public string? ContactHotline { get; set; }

    [StringLength(100, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "微信公众号")]
    public string? ContactWeChat { get; set; }

    [StringLength(500, ErrorMessage = "{0}不能超过 {1} 个字符。")]
    [Display(Name = "封面图")]
    public string? CoverImageUrl { get; set; }

    [StringLength(200, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "封面说明")]
    public string? CoverImageAlt { get; set; }

    [Required(ErrorMessage = "请选择稿件类型。")]
    [Display(Name = "类型")]
    public ArticleKind Kind { get; set; }

    [StringLength(500, ErrorMessage = "{0}不能超过 {1} 个字符。")]
    [Display(Name = "视频地址")]
    public string? VideoUrl { get; set; }

    [StringLength(500, ErrorMessage = "{0}不能超过 {1} 个字符。")]
    [Display(Name = "视频封面")]
    public string? VideoPosterUrl { get; set; }

    [StringLength(MarkdownRenderer.MaxLength, ErrorMessage = "正文过长（超过 1,000,000 个字符），请拆分为多篇稿件。")]
    [Display(Name = "正文")]
    public string? Body { get; set; }

    /// <summary>
    /// 更正说明: offered when the article's reviewed text stays live while the edit waits for review; shown to readers
    /// with the corrected text once the edit passes.
    /// </summary>
    [StringLength(1000, ErrorMessage = "{0}不能超过 {1} 个字。")]
    [Display(Name = "更正说明")]
    public string? CorrectionNote { get; set; }

    /// <summary>The <see cref="Article.Version"/> the editor started from; a different one in the database is a conflict.</summary>
    [Required(ErrorMessage = "表单已过期，请刷新页面后重试。")]
    public Guid Version { get; set; }

    public static ArticleInput From(Article article) => new()
    {
        Title = article.Title,
        Subtitle = article.Subtitle,
        Summary = article.Summary,
        ChannelId = article.ChannelId,
        Tags = JoinTags(article.Tags.Select(t => t.Name)),
        Source = article.Source,
        ReprintedFrom = article.ReprintedFrom,
        Author = article.Author,
        ResponsibleEditor = article.ResponsibleEditor,
        ContactHotline = article.ContactHotline,
        ContactWeChat = article.ContactWeChat,
        CoverImageUrl = article.CoverImageUrl,
        CoverImageAlt = article.CoverImageAlt,
        Kind = article.Kind,
        VideoUrl = article.VideoUrl,
        VideoPosterUrl = article.VideoPosterUrl,
        Body = article.BodyMarkdown,
        Version = article.Version,
    };

    /// <summary>
    /// The content of a revision, at the article's current version. Revisions written before they kept the kind and
    /// the video take those from the article.
    /// </summary>
    public static ArticleInput From(ArticleRevision revision, Article current)
    {
        var input = FromRevision(revision);
        if (revision.Kind is null)
        {
            input.Kind = current.Kind;
            input.VideoUrl = current.VideoUrl;
            input.VideoPosterUrl = current.VideoPosterUrl;
        }
        input.Version = current.Version;
        return input;
    }

    /// <summary>What a revision keeps: everything but the version (and, in old revisions, the kind and the video).</summary>
    public static ArticleInput FromRevision(ArticleRevision revision) => new()
    {
        Title = revision.Title,
        Subtitle = revision.Subtitle,
        Summary = revision.Summary,
        ChannelId = revision.ChannelId,
        Tags = revision.Tags,
        Source = revision.Source,
        ReprintedFrom = revision.ReprintedFrom,
        Author = revision.Author,
        ResponsibleEditor = revision.ResponsibleEditor,
        ContactHotline = revision.ContactHotline,
        ContactWeChat = revision.ContactWeChat,
        CoverImageUrl = revision.CoverImageUrl,
        CoverImageAlt = revision.CoverImageAlt,
        Kind = revision.Kind ?? ArticleKind.Article,
        VideoUrl = revision.VideoUrl,
        VideoPosterUrl = revision.VideoPosterUrl,
        CorrectionNote = revision.CorrectionNote,
        Body = revision.BodyMarkdown,
    };

    /// <summary>Tags as typed: separated by commas (half or full width), 、 or semicolons; trimmed; duplicates once.</summary>
    public IReadOnlyList<string> TagList() => ParseTags(Tags);

    public static IReadOnlyList<string> ParseTags(string? text) =>
        (text ?? "").Split(ArticleRules.TagSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal).ToList();

    public static string JoinTags(IEnumerable<string> tags) => string.Join("、", tags.Order(StringComparer.Ordinal));

    /// <summary>http(s) addresses and site-relative paths ("/images/…"); nothing that a browser could run or misread.</summary>
    public static bool IsSafeUrl(string url) => ArticleRules.IsSafeUrl(url);

    /// <summary>Checks that need only this input; each error names the property it belongs to.</summary>
    public IEnumerable<InputError> CheckRules()
    {
        foreach (var (name, value, label) in new[]
                 {
                     (nameof(CoverImageUrl), CoverImageUrl, "封面图"),
                     (nameof(VideoUrl), VideoUrl, "视频地址"),
                     (nameof(VideoPosterUrl), VideoPosterUrl, "视频封面"),
                 })
        {
            if (Clean(value) is { } url && !IsSafeUrl(url))
            {
                yield return new(name, $"{label}须是以 http://、https:// 开头的网址，或以 / 开头的本站地址。");
            }
        }
        if (Clean(CoverImageUrl) is not null && Clean(CoverImageAlt) is null)
        {
            yield return new(nameof(CoverImageAlt), "填写封面图时须填写封面说明（供读屏软件和图片无法显示时使用）。");
        }
        if (!Enum.IsDefined(Kind))
        {
            yield return new(nameof(Kind), "请选择稿件类型。");
        }
        else if (Kind == ArticleKind.Video && Clean(VideoUrl) is null && Clean(VideoPosterUrl) is null)
        {
            yield return new(nameof(VideoUrl), "视频稿件须填写视频地址或视频封面。");
        }
        else if (Kind == ArticleKind.Video && Clean(VideoUrl) is { } video && IsSafeUrl(video) && !VideoSource.IsPlayable(video))
        {
            // A page of a video platform or a stream cannot play in <video>; without a playable file the report is
            // shown with its poster only and is not promoted, so the editor is told now rather than left wondering.
            yield return new(nameof(VideoUrl), VideoSource.InvalidMessage);
        }
        else if (Kind == ArticleKind.Gallery)
        {
            foreach (var problem in GalleryRules.Problems(Body))
            {
                yield return new(nameof(Body), problem);
            }
        }
        var tags = TagList();
        if (tags.Count > MaxTags)
        {
            yield return new(nameof(Tags), $"标签最多 {MaxTags} 个。");
        }
        foreach (var problem in tags.Select(ArticleRules.TagNameProblem).OfType<string>())
        {
            yield return new(nameof(Tags), problem);
        }
    }

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
