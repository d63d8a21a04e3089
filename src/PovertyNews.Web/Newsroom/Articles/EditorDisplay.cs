using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>How the editor's pages name an article's status.</summary>
public static class EditorDisplay
{
    public static string StatusName(ArticleStatus status) => status switch
    {
        ArticleStatus.Draft => "草稿",
        ArticleStatus.Submitted => "待审",
        ArticleStatus.InReview => "审核中",
        ArticleStatus.Approved => "待发布",
        ArticleStatus.Published => "已发布",
        ArticleStatus.Scheduled => "定时发布",
        ArticleStatus.Withdrawn => "已撤回",
        ArticleStatus.Recycled => "回收站",
        _ => status.ToString(),
    };

    /// <summary>The admin.css modifier of <c>.status-badge</c>, if any.</summary>
    public static string? StatusBadge(ArticleStatus status) => status switch
    {
        ArticleStatus.Published => "status-badge--published",
        ArticleStatus.Scheduled => "status-badge--scheduled",
        ArticleStatus.Withdrawn => "status-badge--withdrawn",
        ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved => "status-badge--review",
        _ => null,
    };

    public static string Time(DateTime utc) => ChinaTime.FormatDateTime(utc);
}
