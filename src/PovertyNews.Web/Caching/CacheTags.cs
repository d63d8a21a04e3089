using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Caching;

/// <summary>
/// The tags a cached reader page carries: one for each thing it shows, so a change evicts exactly the pages that show
/// it. Pages add their own (<see cref="TagOutput"/>) while they render; the layout adds the parts on every page.
/// </summary>
public static class CacheTags
{
    /// <summary>Every cached reader response.</summary>
    public const string Reader = "reader";

    /// <summary>Pages with the layout: site name, tagline, footer (备案 numbers) — and feeds, which name the site.</summary>
    public const string Site = "site";

    /// <summary>The channel navigation (names, order, hidden), on every page with the layout, feeds and sitemaps.</summary>
    public const string Navigation = "navigation";

    /// <summary>The four sidebars (热点视频, 热点新闻, 热点舆情, 特色小镇).</summary>
    public const string Sidebars = "sidebars";

    /// <summary>The front page's own blocks (头条, 最新报道, channel blocks).</summary>
    public const string Front = "front";

    /// <summary>The site-wide parts of article pages: 版权及免责声明 and the default contact block.</summary>
    public const string ArticleSettings = "article-settings";

    /// <summary>Archive pages: each shows the years with their counts.</summary>
    public const string Archive = "archive";

    public const string Videos = "videos";
    public const string Search = "search";

    /// <summary>Every RSS feed, site-wide and per channel (for changes that reach all of them, like a renamed tag).</summary>
    public const string Feeds = "feeds";

    /// <summary>The site-wide feed: titles, summaries and full text of the latest items.</summary>
    public const string SiteFeed = "feed";

    /// <summary>
    /// Every 专题 page, /topics and the HTML sitemap's list of topics: evicted by any change to a topic, and by any
    /// change to the visible articles (a topic's section may list any of them, by tag, channel or hand-picked).
    /// Topics are few, so evicting them all is cheaper than working out which ones show an article.
    /// </summary>
    public const string Topics = "topics";

    /// <summary>Every topic's feed: like <see cref="Topics"/>, and also by edits of an item's text.</summary>
    public const string TopicFeeds = "topic-feeds";

    /// <summary>Sitemaps (URLs and lastmod of every visible article).</summary>
    public const string Sitemaps = "sitemaps";

    /// <summary>An article's own page, and every page that lists it by name outside a channel or tag listing (延伸阅读).</summary>
    public static string Article(int id) => "article-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>An article's page only (not the pages listing it): its 留言 — the approved comments, their count, closed or open.</summary>
    public static string Comments(int articleId) => "comments-" + articleId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A channel's listing (its whole subtree) and its feed.</summary>
    public static string Channel(int id) => "channel-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A channel's feed (its whole subtree), changed also by edits of an item's text.</summary>
    public static string ChannelFeed(int id) => "channel-feed-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A tag's listing.</summary>
    public static string Tag(int id) => "tag-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Article pages whose 延伸阅读 is drawn from this channel's articles.</summary>
    public static string RelatedByChannel(int id) => "related-channel-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Article pages of articles with this tag: they show its name, and draw 延伸阅读 from its articles.</summary>
    public static string RelatedByTag(int id) => "related-tag-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The month listing of the archive (CST month of publication).</summary>
    public static string ArchiveMonth(int year, int month) =>
        string.Create(CultureInfo.InvariantCulture, $"archive-{year:D4}-{month:D2}");

    public static string ArchiveMonthOf(DateTime publishedAtUtc)
    {
        var cst = ChinaTime.FromUtc(publishedAtUtc);
        return ArchiveMonth(cst.Year, cst.Month);
    }

    /// <summary>
    /// Adds tags to the response being cached, if it is (a no-op for signed-in staff and for pages without a cache
    /// policy). Called while a page renders, so the tags follow what the page actually shows.
    /// </summary>
    public static void TagOutput(this HttpContext http, params IEnumerable<string> tags)
    {
        if (http.Features.Get<IOutputCacheFeature>()?.Context is { } context)
        {
            context.Tags.UnionWith(tags);
        }
    }
}
