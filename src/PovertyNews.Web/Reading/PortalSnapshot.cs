using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// The parts every reader page shows (settings, navigation and the four sidebars), the front page's own blocks and the
/// published topics (专题, in order), computed once per change.
/// </summary>
public sealed record PortalSnapshot(
    SiteSettings Settings,
    IReadOnlyList<ChannelLink> Channels,
    IReadOnlyList<ArticleCard> HotVideos,
    IReadOnlyList<ArticleCard> HotNews,
    Sidebar Opinion,
    Sidebar Towns,
    FrontPage Front,
    IReadOnlyDictionary<string, int> OldChannelSlugs,
    IReadOnlyList<TopicCard> Topics)
{
    /// <summary>The published topics the front page's 专题 block lists, in order.</summary>
    public IEnumerable<TopicCard> FrontTopics => Topics.Where(t => t.ShowOnFrontPage);

    public IEnumerable<ChannelLink> Navigation => Channels.Where(c => c.ParentId is null && !c.IsHidden);

    public ChannelLink? FindChannel(string slug) => Channels.FirstOrDefault(c => c.Slug == slug);

    /// <summary>The channel that <paramref name="oldSlug"/> now redirects to (after a rename or a deletion), if any.</summary>
    public ChannelLink? FindRedirect(string oldSlug) =>
        OldChannelSlugs.TryGetValue(oldSlug, out var id) ? Channels.FirstOrDefault(c => c.Id == id) : null;

    /// <summary>The channel and every channel below it, for listings that include sub-channels.</summary>
    public IReadOnlyList<int> SubtreeIds(int channelId) => ChannelTree.SubtreeIds(Channels, channelId);

    /// <summary>The top-level channel above this one (or itself), which the navigation highlights.</summary>
    public ChannelLink TopLevelOf(ChannelLink channel)
    {
        for (var depth = 0; depth < 32 && channel.ParentId is { } parentId && Channels.FirstOrDefault(c => c.Id == parentId) is { } parent; depth++)
        {
            channel = parent;
        }
        return channel;
    }

    public IEnumerable<ChannelLink> ChildrenOf(int channelId) =>
        Channels.Where(c => c.ParentId == channelId && !c.IsHidden);
}

/// <summary>The front page's blocks: 头条, 最新报道 and the newest of each top-level channel.</summary>
public sealed record FrontPage(
    IReadOnlyList<ArticleCard> Headlines,
    IReadOnlyList<ArticleCard> Latest,
    IReadOnlyList<ChannelBlock> Blocks)
{
    public static readonly FrontPage Empty = new([], [], []);
}

public sealed record ChannelBlock(ChannelLink Channel, IReadOnlyList<ArticleCard> Items);

/// <summary>A channel-fed sidebar (热点舆情, 特色小镇). <see cref="ChannelSlug"/> is null when the channel is missing.</summary>
public sealed record Sidebar(string Title, string? ChannelSlug, IReadOnlyList<ArticleCard> Items);

public static class ChannelTree
{
    public static IReadOnlyList<int> SubtreeIds(IReadOnlyList<ChannelLink> channels, int channelId)
    {
        var ids = new List<int> { channelId };
        for (var i = 0; i < ids.Count; i++)
        {
            ids.AddRange(channels.Where(c => c.ParentId == ids[i]).Select(c => c.Id));
        }
        return ids;
    }
}
