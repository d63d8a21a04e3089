using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Evicts the cached pages a save changes, whatever code saves (editor, workflow, scheduler, importer, settings and
/// channel pages, tests): articles, channels, tags and settings are read from the change tracker before the save,
/// and the pages showing them are evicted once the save is committed. Evicting before the commit would let a reader
/// render the old data again and cache it. The portal snapshot is marked stale too, so the navigation, sidebars and
/// front page are compared on the next request.
/// </summary>
public sealed class CacheEvictionInterceptor(
    ReaderCacheEviction eviction,
    PortalCache portal,
    IClusterBus cluster,
    TimeProvider time,
    ILogger<CacheEvictionInterceptor> logger) : SaveChangesInterceptor, IDbTransactionInterceptor, ISaveInterceptor
{
    public SaveStage Stage => SaveStage.AfterCommit;

    /// <summary>Fields nothing cached shows.</summary>
    /// <remarks>ArticleFieldListsTests makes every Article property be classified here, in <see cref="PageProperties"/> or as a card field.</remarks>
    internal static readonly HashSet<string> QuietProperties =
    [
        nameof(Article.ViewCount), nameof(Article.Version), nameof(Article.ImportHash), nameof(Article.ReviewLevel),
        nameof(Article.OwnerId), nameof(Article.WithdrawalReason),
        // The job's record that a 下线时间 came; readers stopped seeing the article at OfflineAt, which evicted then.
        nameof(Article.WentOfflineAt),
        // 禁发 is for staff; readers see nothing of it. The recycle bin's time comes with a Status change, which evicts.
        nameof(Article.EmbargoUntil), nameof(Article.EmbargoNote), nameof(Article.RecycledAt),
        // The pending version is the newsroom's; readers see it only once it is applied to the article's own fields.
        nameof(Article.PendingRevision), nameof(Article.PendingState), nameof(Article.PendingReviewLevel), nameof(Article.PendingSince),
        // Shown only in the page's 留言 block, whose own tag Collect adds when it changes.
        nameof(Article.CommentsClosed),
    ];

    /// <summary>Fields shown on the article's own page (and in feeds and search results) but in no list of cards.</summary>
    internal static readonly HashSet<string> PageProperties =
    [
        "BodyMarkdown", nameof(Article.BodyHtml), nameof(Article.Subtitle), nameof(Article.Source), nameof(Article.ReprintedFrom),
        nameof(Article.Author), nameof(Article.ResponsibleEditor), nameof(Article.ContactHotline), nameof(Article.ContactWeChat),
        nameof(Article.VideoUrl), nameof(Article.CorrectionNote), nameof(Article.CorrectedAt), nameof(Article.WithdrawnAt),
        nameof(Article.UpdatedAt), nameof(Article.CreatedAt),
    ];

    private readonly ConditionalWeakTable<DbContext, CacheChanges> _collected = new();
    private readonly ConditionalWeakTable<DbContext, Pending> _awaitingCommit = new();

    private sealed class Pending
    {
        public HashSet<string> Tags { get; } = [];
        public bool TouchesPortal { get; set; }
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && _collected.TryGetValue(db, out var changes))
        {
            _collected.Remove(db);
            var tags = await changes.TagsAsync(db, cancellationToken);
            if (db.Database.CurrentTransaction is null)
            {
                await ApplyAsync(tags, changes.TouchesPortal, cancellationToken);
            }
            else
            {
                Defer(db, tags, changes.TouchesPortal);
            }
        }
        return result;
    }

    /// <summary>
    /// A synchronous save cannot read what it needs without blocking, so it evicts every reader page instead. The
    /// application saves asynchronously; this is for code that does not.
    /// </summary>
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is NewsDbContext db && _collected.TryGetValue(db, out var changes))
        {
            _collected.Remove(db);
            HashSet<string> everything = [CacheTags.Reader];
            if (db.Database.CurrentTransaction is null)
            {
                _ = ApplyInBackgroundAsync(everything, changes.TouchesPortal);
            }
            else
            {
                Defer(db, everything, changes.TouchesPortal);
            }
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _collected.Remove(eventData.Context!);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _collected.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    async Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken)
    {
        if (eventData.Context is { } db && _awaitingCommit.TryGetValue(db, out var pending))
        {
            _awaitingCommit.Remove(db);
            await ApplyAsync(pending.Tags, pending.TouchesPortal, cancellationToken);
        }
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } db && _awaitingCommit.TryGetValue(db, out var pending))
        {
            _awaitingCommit.Remove(db);
            _ = ApplyInBackgroundAsync(pending.Tags, pending.TouchesPortal);
        }
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        _awaitingCommit.Remove(eventData.Context!);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken)
    {
        _awaitingCommit.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    /// <summary>Inside a transaction the caller commits: nothing is evicted before the commit, nothing on a rollback.</summary>
    private void Defer(DbContext db, HashSet<string> tags, bool touchesPortal)
    {
        var pending = _awaitingCommit.GetOrCreateValue(db);
        pending.Tags.UnionWith(tags);
        pending.TouchesPortal |= touchesPortal;
    }

    private async Task ApplyAsync(HashSet<string> tags, bool touchesPortal, CancellationToken ct)
    {
        if (touchesPortal)
        {
            portal.Invalidate();
        }
        await eviction.EvictAsync(tags, ct);
        // The other nodes drop the same before the editor's answer goes out (see RedisClusterBus).
        await cluster.AnnounceAsync(new ClusterChange([.. tags], Portal: touchesPortal), ct);
    }

    private async Task ApplyInBackgroundAsync(HashSet<string> tags, bool touchesPortal)
    {
        try
        {
            await ApplyAsync(tags, touchesPortal, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Evicting cached pages after a synchronous save failed");
        }
    }

    private void Collect(DbContext? context)
    {
        if (context is not NewsDbContext db)
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        CacheChanges? changes = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Article article:
                    if (entry.State == EntityState.Modified && entry.Property(nameof(Article.CommentsClosed)).IsModified)
                    {
                        (changes ??= new()).Known.Add(CacheTags.Comments(article.Id));
                    }
                    CollectArticle(entry, now, ref changes);
                    break;
                // 留言: the report's page shows approved comments only, so a comment held for review changes nothing
                // until a moderator acts; the client hash (dropped by the retention pass) is shown nowhere.
                case Comment comment:
                    if (entry.State == EntityState.Added ? comment.Status == CommentStatus.Approved
                        : entry.State == EntityState.Deleted || entry.Properties.Any(p => p.IsModified && p.Metadata.Name != nameof(Comment.ClientHash)))
                    {
                        (changes ??= new()).Known.Add(CacheTags.Comments(comment.ArticleId));
                    }
                    break;
                // Whether a channel's comments are reviewed first shows only in the comment form's note on its reports'
                // pages, which all carry the channel's related tag.
                case Channel reviewed when entry.State == EntityState.Modified
                    && entry.Properties.Where(p => p.IsModified).All(p => p.Metadata.Name == nameof(Channel.CommentsWithoutReview)):
                    (changes ??= new()).Known.Add(CacheTags.RelatedByChannel(reviewed.Id));
                    break;
                case Channel channel:
                    changes ??= new();
                    changes.TouchesPortal = true;
                    if (entry.State != EntityState.Added)
                    {
                        changes.Channels.Add(channel.Id);
                        changes.Known.UnionWith([CacheTags.RelatedByChannel(channel.Id), CacheTags.Sitemaps, CacheTags.Search,
                            CacheTags.Topics, CacheTags.TopicFeeds]);
                        if (entry.Property(nameof(Channel.ParentId)).OriginalValue is int formerParent)
                        {
                            changes.Channels.Add(formerParent);
                        }
                    }
                    break;
                case Tag tag when entry.State != EntityState.Added:
                    changes ??= new();
                    changes.Known.UnionWith([CacheTags.Tag(tag.Id), CacheTags.RelatedByTag(tag.Id), CacheTags.Feeds, CacheTags.Search,
                        CacheTags.Topics]);
                    break;
                // 专题: the topic pages and feeds, and through the snapshot the lists of topics (/topics, front page, sitemaps).
                case Topic or TopicSection or TopicSectionArticle or TopicTimelineEntry:
                    changes ??= new();
                    changes.TouchesPortal = true;
                    changes.Known.UnionWith([CacheTags.Topics, CacheTags.TopicFeeds, CacheTags.Sitemaps]);
                    break;
                // 头条, pins, 热点视频 picks, the sidebars' channels and counts, old channel slugs: they reach readers only
                // through the portal snapshot, whose comparison evicts the blocks that show differently.
                case SiteSettings or SidebarSettings or Placement or ChannelRedirect:
                    (changes ??= new()).TouchesPortal = true;
                    break;
                case Dictionary<string, object> join when entry.Metadata.Name == "ArticleTags" && entry.State != EntityState.Modified
                    && join.TryGetValue("ArticlesId", out var a) && a is int articleId
                    && join.TryGetValue("TagsId", out var t) && t is int tagId:
                    if (ArticleMayBeVisible(db, articleId, now))
                    {
                        changes ??= new();
                        changes.Page.Add(articleId);
                        changes.Known.UnionWith([CacheTags.Tag(tagId), CacheTags.RelatedByTag(tagId), CacheTags.Topics, CacheTags.TopicFeeds]);
                    }
                    break;
            }
        }
        if (changes is { IsEmpty: false })
        {
            _collected.AddOrUpdate(db, changes);
        }
    }

    private static void CollectArticle(EntityEntry entry, DateTime now, ref CacheChanges? changes)
    {
        var article = (Article)entry.Entity;
        var original = entry.State == EntityState.Added ? null : entry.OriginalValues;
        var formerStatus = original?.GetValue<ArticleStatus>(nameof(Article.Status));
        var formerPublishedAt = original?.GetValue<DateTime?>(nameof(Article.PublishedAt));
        var formerOfflineAt = original?.GetValue<DateTime?>(nameof(Article.OfflineAt));
        var wasVisible = formerStatus is { } status && Article.IsVisible(status, formerPublishedAt, formerOfflineAt, now);
        var isVisible = entry.State != EntityState.Deleted && article.IsVisibleAt(now);
        if (!wasVisible && !isVisible)
        {
            // A draft is shown nowhere. A report scheduled for later is not shown yet, but the portal snapshot must
            // learn its time, so the pages listing it are evicted the moment it falls due.
            if (article.Status is ArticleStatus.Scheduled or ArticleStatus.Published || formerStatus is ArticleStatus.Scheduled)
            {
                (changes ??= new()).TouchesPortal = true;
            }
            return;
        }
        changes ??= new();
        changes.TouchesPortal = true;
        var modified = entry.State == EntityState.Modified
            ? entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).Where(n => !QuietProperties.Contains(n)).ToList()
            : null;
        if (modified is { Count: 0 })
        {
            return;
        }
        if (wasVisible == isVisible && modified is not null && modified.All(PageProperties.Contains))
        {
            changes.Page.Add(article.Id);
            return;
        }
        if (original is not null)
        {
            changes.AddFormerState(article.Id, original.GetValue<int>(nameof(Article.ChannelId)),
                original.GetValue<ArticleKind>(nameof(Article.Kind)), formerPublishedAt);
        }
        if (entry.State == EntityState.Added)
        {
            // Its id is known only after the save.
            changes.Added.Add(article);
        }
        else
        {
            changes.Full.Add(article.Id);
        }
    }

    /// <summary>A tag linked or unlinked: it matters only if the article is, or was, visible.</summary>
    private static bool ArticleMayBeVisible(NewsDbContext db, int articleId, DateTime now)
    {
        var entry = db.ChangeTracker.Entries<Article>().FirstOrDefault(e => e.Entity.Id == articleId);
        if (entry is null)
        {
            return true;
        }
        var wasVisible = entry.State != EntityState.Added && Article.IsVisible(entry.Property(a => a.Status).OriginalValue,
            entry.Property(a => a.PublishedAt).OriginalValue, entry.Property(a => a.OfflineAt).OriginalValue, now);
        return wasVisible || entry.Entity.IsVisibleAt(now);
    }
}
