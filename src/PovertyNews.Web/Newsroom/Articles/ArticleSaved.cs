using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// What a save of the editor leaves (the value of its <see cref="Common.Result{T}"/>): the article's version and
/// revision now, and the sensitive words it replaced with ＊ (the editor is told). After a conflict, the version is
/// the one stored now.
/// </summary>
public sealed record ArticleSaved(int ArticleId, Guid Version, DateTime At, int? Revision, IReadOnlyList<ReplacedWord> Replaced);
