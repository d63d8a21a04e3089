using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// What <c>_ArticleView</c> shows: the article as readers see it, its 延伸阅读, and, for a preview of a version not
/// published yet, the line the banner adds to "预览，未发布"; 上一篇/下一篇 on the published page only.
/// </summary>
public sealed record ArticleView(ShowModel.ArticlePage Article, SiteSettings Settings, IReadOnlyList<ArticleCard> Related, string? PreviewBanner,
    Reading.Neighbours? Neighbours = null);
