using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Caching;

/// <summary>
/// What a unit of work changed that readers can see, and the cache tags that follows from it. The current state of
/// the articles (their channel, tags, month) is read after the save; the state they left is noted before it.
/// </summary>
public sealed class CacheChanges
{
    /// <summary>Articles whose appearance in lists changed (published, withdrawn, retitled, moved, …).</summary>
    public HashSet<int> Full { get; } = [];

    /// <summary>Articles added by the save: their ids exist only after it.</summary>
    public List<Article> Added { get; } = [];

    /// <summary>Articles of which only the page itself (and feeds and search, which show the text) changed.</summary>
    public HashSet<int> Page { get; } = [];

    /// <summary>Channels whose listing and feed, and their ancestors', show a change.</summary>
    public HashSet<int> Channels { get; } = [];

    /// <summary>Channels whose feed, and their ancestors' feeds, show a change (an item's text was edited).</summary>
    public HashSet<int> FeedChannels { get; } = [];

    /// <summary>Tags known without reading anything.</summary>
    public HashSet<string> Known { get; } = [];

    /// <summary>Whether the navigation, sidebars or front page may show differently; the portal snapshot then compares.</summary>
    public bool TouchesPortal { get; set; }

    public bool IsEmpty => Full.Count == 0 && Added.Count == 0 && Page.Count == 0 && Channels.Count == 0 && Known.Count == 0 && !TouchesPortal;

    /// <summary>The tags of a list-visible change to an article, for the state it had before the save.</summary>
    public void AddFormerState(int id, int channelId, ArticleKind kind, DateTime? publishedAt)
    {
        Full.Add(id);
        Channels.Add(channelId);
        Known.Add(CacheTags.RelatedByChannel(channelId));
        if (kind == ArticleKind.Video)
        {
            Known.Add(CacheTags.Videos);
        }
        if (publishedAt is { } at)
        {
            Known.Add(CacheTags.ArchiveMonthOf(at));
        }
    }

    public async Task<HashSet<string>> TagsAsync(NewsDbContext db, CancellationToken ct)
    {
        Full.UnionWith(Added.Select(a => a.Id));
        var tags = new HashSet<string>(Known);
        foreach (var id in Page)
        {
            tags.Add(CacheTags.Article(id));
        }
        if (Page.Count > 0 || Full.Count > 0)
        {
            tags.UnionWith([CacheTags.SiteFeed, CacheTags.Search, CacheTags.Sitemaps, CacheTags.TopicFeeds]);
            var pageIds = Page.ToList();
            FeedChannels.UnionWith(await db.Articles.AsNoTracking().Where(a => pageIds.Contains(a.Id)).Select(a => a.ChannelId).ToListAsync(ct));
        }
        if (Full.Count > 0)
        {
            // A topic's sections may list any visible article (by tag, channel or hand-picked).
            tags.UnionWith([CacheTags.Archive, CacheTags.Topics]);
            var ids = Full.ToList();
            var rows = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
                .Select(a => new { a.Id, a.ChannelId, a.Kind, a.PublishedAt, TagIds = a.Tags.Select(t => t.Id).ToList() })
                .ToListAsync(ct);
            foreach (var id in ids)
            {
                tags.Add(CacheTags.Article(id));
            }
            foreach (var row in rows)
            {
                Channels.Add(row.ChannelId);
                tags.Add(CacheTags.RelatedByChannel(row.ChannelId));
                if (row.Kind == ArticleKind.Video)
                {
                    tags.Add(CacheTags.Videos);
                }
                if (row.PublishedAt is { } at)
                {
                    tags.Add(CacheTags.ArchiveMonthOf(at));
                }
                foreach (var tagId in row.TagIds)
                {
                    tags.Add(CacheTags.Tag(tagId));
                    tags.Add(CacheTags.RelatedByTag(tagId));
                }
            }
        }
        if (Channels.Count > 0 || FeedChannels.Count > 0)
        {
            // A channel's listing and feed include its sub-channels, so a change shows on every ancestor's too.
            var parents = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToDictionaryAsync(c => c.Id, c => c.ParentId, ct);
            foreach (var id in Ancestry(Channels, parents))
            {
                tags.Add(CacheTags.Channel(id));
                tags.Add(CacheTags.ChannelFeed(id));
            }
            foreach (var id in Ancestry(FeedChannels, parents))
            {
                tags.Add(CacheTags.ChannelFeed(id));
            }
        }
        return tags;
    }

    private static IEnumerable<int> Ancestry(IEnumerable<int> channels, Dictionary<int, int?> parents)
    {
        foreach (var channel in channels)
        {
            int? id = channel;
            for (var depth = 0; depth < 32 && id is { } current; depth++)
            {
                yield return current;
                id = parents.GetValueOrDefault(current);
            }
        }
    }
}
