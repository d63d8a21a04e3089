namespace PovertyNews.Web.Domain;

/// <summary>A section of the portal (栏目). Channels form a tree; a channel's page lists its sub-channels' articles too.</summary>
public class Channel
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int? ParentId { get; set; }
    public Channel? Parent { get; set; }
    public List<Channel> Children { get; set; } = [];
    public int SortOrder { get; set; }

    /// <summary>Hidden channels keep their pages but stay out of the navigation and the front page's blocks.</summary>
    public bool IsHidden { get; set; }

    /// <summary>
    /// 留言 in this channel appear without review (先发后审) when a moderator turns 先审后发 off; false, the default, holds
    /// every comment until a moderator approves it.
    /// </summary>
    public bool CommentsWithoutReview { get; set; }

    /// <summary>Changes on every save, so an edit form loaded before someone else's save is refused, not applied on top.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public List<Article> Articles { get; set; } = [];

    /// <summary>Slugs this channel was published under before; their URLs redirect here.</summary>
    public List<ChannelRedirect> OldSlugs { get; set; } = [];

    /// <summary>
    /// Gives the channel a new slug and keeps the current one as a redirect, so published links keep working.
    /// Going back to one of the channel's own old slugs takes it out of the redirects. Needs <see cref="OldSlugs"/>
    /// loaded; whether another channel owns <paramref name="newSlug"/> is the caller's check.
    /// </summary>
    public void ChangeSlug(string newSlug, DateTime now)
    {
        if (newSlug == Slug)
        {
            return;
        }
        OldSlugs.RemoveAll(r => r.OldSlug == newSlug);
        if (OldSlugs.All(r => r.OldSlug != Slug))
        {
            OldSlugs.Add(new ChannelRedirect { OldSlug = Slug, ChannelId = Id, RetiredAt = now });
        }
        Slug = newSlug;
    }
}

/// <summary>
/// An earlier slug of a channel (or of a deleted channel whose articles went to this one): <c>/channels/{OldSlug}</c>
/// and its feed answer a permanent redirect to the channel's current slug. An old slug belongs to one channel only.
/// </summary>
public class ChannelRedirect
{
    public int Id { get; set; }
    public required string OldSlug { get; set; }
    public int ChannelId { get; set; }
    public DateTime RetiredAt { get; set; }
}
