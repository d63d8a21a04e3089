using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Curation;

/// <summary>What the 版面编排 page shows about the curated blocks: their order, anchors, texts and why an item is hidden.</summary>
public static class CurationDisplay
{
    public static readonly IReadOnlyList<CurationBlock> Blocks = [CurationBlock.Headline, CurationBlock.HotNews, CurationBlock.HotVideos];

    /// <summary>The block's section id on the page; redirects and form actions return to it.</summary>
    public static string Anchor(CurationBlock block) => block switch
    {
        CurationBlock.Headline => "headlines",
        CurationBlock.HotNews => "hot-news",
        _ => "hot-videos",
    };

    public static (string Title, string Hint, string Button) Texts(CurationBlock block, int hotNewsDays) => block switch
    {
        CurationBlock.Headline => ("头条", "首页顶部：第 1 条配大图，其余列在下面。只能选择已发布或定时发布的稿件；定时发布的稿件到时才显示。", "设为头条"),
        CurationBlock.HotNews => ("热点新闻置顶", $"热点新闻侧栏先按顺序显示未过期的置顶，再按近 {hotNewsDays} 天阅读量补足。到期时间为北京时间。", "置顶"),
        _ => ("热点视频", "热点视频侧栏先按顺序显示这里选定的视频，不足时用最新发布的视频补足。只能选择视频稿件。", "加入热点视频"),
    };

    /// <summary>Why a listed placement is not shown to readers now, or null when it is.</summary>
    public static string? Hidden(ArticleStatus status, DateTime? publishedAt, DateTime? offlineAt, DateTime? until, DateTime now) => (status, publishedAt, until) switch
    {
        (_, _, { } u) when u <= now => $"已过期（{ChinaTime.FormatDateTime(u)}）",
        (ArticleStatus.Scheduled, { } at, _) when at > now => $"定于 {ChinaTime.FormatDateTime(at)} 发布后显示",
        _ when Article.IsOffline(status, offlineAt, now) => $"稿件已于 {ChinaTime.FormatDateTime(offlineAt!.Value)} 下线，不显示",
        _ when !Article.IsVisible(status, publishedAt, offlineAt, now) => "稿件不公开，不显示",
        _ => null,
    };
}
