using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// The status filter of the newsroom's article list and staff search (<c>?status=review</c>): one table, so a saved
/// search's status means what the search page made of it.
/// </summary>
public static class StaffStatusFilters
{
    public static readonly IReadOnlyList<(string Key, string Label, ArticleStatus[] Statuses)> All =
    [
        ("draft", "草稿", [ArticleStatus.Draft]),
        ("review", "审核中", [ArticleStatus.Submitted, ArticleStatus.InReview]),
        ("approved", "待发布", [ArticleStatus.Approved]),
        ("scheduled", "定时发布", [ArticleStatus.Scheduled]),
        ("published", "已发布", [ArticleStatus.Published]),
        ("withdrawn", "已撤稿", [ArticleStatus.Withdrawn]),
    ];

    /// <summary>The statuses of <paramref name="key"/>; null for no filter (an unknown key is none, as the pages read it).</summary>
    public static ArticleStatus[]? Of(string? key) => All.FirstOrDefault(f => f.Key == key).Statuses;
}
