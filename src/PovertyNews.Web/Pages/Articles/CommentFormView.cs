namespace PovertyNews.Web.Pages.Articles;

/// <summary>The comment form: under the article (cached, no per-reader data) or alone on /comments/{id} after a refusal.</summary>
public sealed record CommentFormView(int ArticleId, string? Stamp, bool Staff, bool Reviewed, string? Name, string? Body);
