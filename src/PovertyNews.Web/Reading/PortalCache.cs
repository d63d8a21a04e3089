using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>
/// Computes the <see cref="PortalSnapshot"/> once per change instead of once per page. Every rebuild is reported to
/// the <see cref="IPortalRebuildObserver"/>s (the output cache compares the two snapshots and evicts what shows
/// differently).
/// </summary>
/// <remarks>
/// Two kinds of staleness. A change readers must see at once — <see cref="Invalidate"/> after a save, a scheduled
/// article falling due, a pin running out — makes the next reader wait for the rebuild. Drift — reads reordering
/// 热点新闻 (<see cref="RefreshAsync"/>, after each view-count flush), and <see cref="MaxAge"/> passing — is rebuilt
/// while readers go on with the snapshot in hand, so a busy site does not stall every 30 seconds.
/// </remarks>
public sealed class PortalCache(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<ReadingOptions> options,
    IEnumerable<IPortalRebuildObserver> observers,
    ILogger<PortalCache> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public const int HeadlineCount = 3;
    public const int LatestCount = 10;
    public const int BlockSize = 5;

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private readonly IPortalRebuildObserver[] _observers = observers.ToArray();
    private volatile Entry? _current;
    private int _refreshing;

    // Bumped by Invalidate. A snapshot built from reads that began before an invalidation is stale at once, even
    // if its build finishes after the invalidation.
    private long _generation;

    /// <param name="ExpiresAt">When it must not be served any more (the next due time or pin expiry).</param>
    /// <param name="RefreshAt">When it is rebuilt in the background while still being served.</param>
    private sealed record Entry(PortalSnapshot Snapshot, DateTime BuiltAt, DateTime ExpiresAt, DateTime RefreshAt, long Generation);

    /// <summary>Whether the snapshot in hand may still be served at <paramref name="now"/>; two reads, no locking.</summary>
    public bool IsCurrent(DateTime now) =>
        _current is { } entry && entry.ExpiresAt > now && entry.Generation == Interlocked.Read(ref _generation);

    public async ValueTask<PortalSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_current is { } entry && IsCurrent(now))
        {
            if (entry.RefreshAt <= now)
            {
                StartRefresh();
            }
            return entry.Snapshot;
        }
        // One rebuild at a time: a burst of readers after a change waits for one query round, not many.
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && IsCurrent(time.GetUtcNow().UtcDateTime))
            {
                return fresh.Snapshot;
            }
            return (await RebuildAsync()).Snapshot;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// <summary>Marks the snapshot stale: the next reader waits for a rebuild. Call it after saving what readers see.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>Rebuilds now, without holding readers up: they are served the snapshot in hand until this one is ready.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            await RebuildAsync();
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private void StartRefresh()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Refreshing the portal snapshot failed; the next reader after {MaxAge} tries again", MaxAge);
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    /// <summary>Builds, reports and publishes a snapshot; the caller holds the rebuild semaphore.</summary>
    private async Task<Entry> RebuildAsync()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var previous = _current;
        var servable = previous is not null && IsCurrent(now);
        // Not a reader's token: a reader who leaves must not abandon a rebuild the next reader then repeats.
        var built = await BuildAsync(now, Interlocked.Read(ref _generation), CancellationToken.None);
        var rebuild = new PortalRebuild(previous?.Snapshot, previous?.BuiltAt, built.Snapshot, built.BuiltAt);
        if (servable)
        {
            // Readers are not waiting: publish first, so a page rendered after the evictions shows the new snapshot.
            _current = built;
            await NotifyAsync(rebuild);
        }
        else
        {
            // Readers wait for this: evict first, so none passes with the new snapshot while old pages remain.
            await NotifyAsync(rebuild);
            _current = built;
        }
        return built;
    }

    private async Task NotifyAsync(PortalRebuild rebuild)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnRebuiltAsync(rebuild, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Portal rebuild observer {Observer} failed", observer.GetType().Name);
            }
        }
    }

    private async Task<Entry> BuildAsync(DateTime now, long generation, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var settings = await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SiteSettings();
        var channels = await db.Channels.AsNoTracking()
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new ChannelLink(c.Id, c.Slug, c.Name, c.ParentId, c.IsHidden, c.SortOrder))
            .ToListAsync(ct);
        var visible = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));
        var count = Math.Clamp(settings.SidebarItemCount, 1, 20);

        var pins = await db.Articles.AsNoTracking().Where(a => a.IsPinned)
            .Select(a => new Flagged(a.Id, a.PinOrder, a.Status, a.PublishedAt, a.Kind, a.PinnedUntil)).ToListAsync(ct);
        var hotVideos = await HotVideosAsync(db, pins, now, Math.Min(count, 4), ct);
        var hotNews = await HotNewsAsync(db, visible, pins, now, count, ct);
        var newest = await NewestByChannelAsync(db, channels, now, Math.Max(count, BlockSize), ct);
        var opinion = ChannelSidebar("热点舆情", settings.OpinionChannelSlug, channels, newest, count);
        var towns = ChannelSidebar("特色小镇", settings.TownChannelSlug, channels, newest, count);
        var front = await FrontPageAsync(db, channels, newest, now, ct);

        // The snapshot goes stale when a scheduled article falls due or a pin runs out, so it expires then.
        var nextDue = await db.Articles
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt > now)
            .MinAsync(a => a.PublishedAt, ct);
        var nextPinExpiry = await db.Articles.Where(a => a.IsPinned && a.PinnedUntil > now)
            .MinAsync(a => a.PinnedUntil, ct);
        var expires = new[] { nextDue ?? DateTime.MaxValue, nextPinExpiry ?? DateTime.MaxValue }.Min();

        logger.LogDebug("Portal snapshot rebuilt with {HotNews} hot news items; valid until {ExpiresAt:o}", hotNews.Count, expires);
        return new Entry(new PortalSnapshot(settings, channels, hotVideos, hotNews, opinion, towns, front), now, expires, now + MaxAge, generation);
    }

    /// <summary>
    /// An article flagged as 头条 or pinned. Flagged articles are few and have partial indexes of their own; the
    /// visibility test is done here because with it in the query, SQLite prefers the status index and walks every
    /// published article.
    /// </summary>
    private sealed record Flagged(int Id, int Order, ArticleStatus Status, DateTime? PublishedAt, ArticleKind Kind, DateTime? Until);

    private static async Task<List<ArticleCard>> CardsInOrderAsync(
        NewsDbContext db, IEnumerable<Flagged> flagged, DateTime now, int count, CancellationToken ct)
    {
        var ids = flagged.Where(f => Article.IsVisible(f.Status, f.PublishedAt, now))
            .OrderBy(f => f.Order).ThenByDescending(f => f.PublishedAt).Take(count).Select(f => f.Id).ToList();
        var cards = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(ArticleCard.Projection).ToListAsync(ct);
        return ids.Select(id => cards.FirstOrDefault(c => c.Id == id)).OfType<ArticleCard>().ToList();
    }

    /// <summary>热点视频: pinned videos first, then the newest.</summary>
    private static async Task<List<ArticleCard>> HotVideosAsync(
        NewsDbContext db, List<Flagged> pins, DateTime now, int count, CancellationToken ct)
    {
        var result = await CardsInOrderAsync(db, pins.Where(p => p.Kind == ArticleKind.Video), now, count, ct);
        var exclude = result.Select(r => r.Id).ToList();
        result.AddRange(await NewestVisible.CardsAsync(
            db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Video && !exclude.Contains(a.Id)), now, count - result.Count, ct));
        return result;
    }

    /// <summary>热点新闻: live pins first, then the most read of the last days, then the newest to fill the block.</summary>
    private async Task<List<ArticleCard>> HotNewsAsync(
        NewsDbContext db, IQueryable<Article> visible, List<Flagged> pins, DateTime now, int count, CancellationToken ct)
    {
        var pinned = await CardsInOrderAsync(db, pins.Where(p => p.Until is null || p.Until > now), now, count, ct);

        var since = ChinaTime.Today(now).AddDays(1 - options.Value.HotNewsDays);
        var mostReadIds = await db.ArticleDailyViews.Where(v => v.Day >= since)
            .GroupBy(v => v.ArticleId)
            .Select(g => new { ArticleId = g.Key, Views = g.Sum(v => v.Views) })
            .OrderByDescending(x => x.Views).ThenByDescending(x => x.ArticleId)
            .Take(count * 3)
            .Select(x => x.ArticleId)
            .ToListAsync(ct);
        var mostRead = await visible.Where(a => mostReadIds.Contains(a.Id))
            .Select(ArticleCard.Projection).ToListAsync(ct);

        var result = pinned;
        result.AddRange(mostReadIds.Select(id => mostRead.FirstOrDefault(c => c.Id == id)).OfType<ArticleCard>()
            .Where(c => result.All(r => r.Id != c.Id)));
        if (result.Count < count)
        {
            var exclude = result.Select(r => r.Id).ToList();
            result.AddRange(await NewestVisible.CardsAsync(
                db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Article && !exclude.Contains(a.Id)), now, count - result.Count, ct));
        }
        return result.Take(count).ToList();
    }

    private static Sidebar ChannelSidebar(string title, string slug, List<ChannelLink> channels,
        Dictionary<int, List<ArticleCard>> newest, int count)
    {
        var channel = channels.FirstOrDefault(c => c.Slug == slug);
        return channel is null
            ? new Sidebar(title, null, [])
            : new Sidebar(title, channel.Slug, NewestOf(ChannelTree.SubtreeIds(channels, channel.Id), newest, count));
    }

    /// <summary>The front page: 头条, then the newest reports, then the newest of each top-level channel's subtree.</summary>
    private static async Task<FrontPage> FrontPageAsync(
        NewsDbContext db, List<ChannelLink> channels, Dictionary<int, List<ArticleCard>> newest, DateTime now, CancellationToken ct)
    {
        var flagged = await db.Articles.AsNoTracking().Where(a => a.IsHeadline)
            .Select(a => new Flagged(a.Id, a.HeadlineOrder, a.Status, a.PublishedAt, a.Kind, null)).ToListAsync(ct);
        var headlines = await CardsInOrderAsync(db, flagged, now, HeadlineCount, ct);
        var headlineIds = headlines.Select(h => h.Id).ToList();
        var latest = await NewestVisible.CardsAsync(
            db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Article && !headlineIds.Contains(a.Id)), now, LatestCount, ct);

        var blocks = new List<ChannelBlock>();
        foreach (var channel in channels.Where(c => c.ParentId is null && !c.IsHidden))
        {
            blocks.Add(new ChannelBlock(channel, NewestOf(ChannelTree.SubtreeIds(channels, channel.Id), newest, BlockSize)));
        }
        return new FrontPage(headlines, latest, blocks);
    }

    /// <summary>
    /// The newest visible articles of every channel, by channel: each channel's own index walk, all in one round trip,
    /// for the channel blocks and the channel-fed sidebars.
    /// </summary>
    private static async Task<Dictionary<int, List<ArticleCard>>> NewestByChannelAsync(
        NewsDbContext db, List<ChannelLink> channels, DateTime now, int count, CancellationToken ct)
    {
        var cards = new List<ArticleCard>();
        // SQLite allows 500 terms in a compound SELECT; each channel is two.
        foreach (var chunk in channels.Chunk(200))
        {
            IQueryable<Article>? query = null;
            foreach (var channel in chunk)
            {
                var id = channel.Id;
                var walk = NewestVisible.Query(db.Articles.AsNoTracking().Where(a => a.ChannelId == id), now, count);
                query = query is null ? walk : query.Concat(walk);
            }
            cards.AddRange(await query!.Select(ArticleCard.Projection).ToListAsync(ct));
        }
        return cards.GroupBy(c => c.ChannelId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>The newest of a channel subtree, from the per-channel lists.</summary>
    private static List<ArticleCard> NewestOf(IReadOnlyList<int> channelIds, Dictionary<int, List<ArticleCard>> newest, int count) =>
        channelIds.SelectMany(id => newest.GetValueOrDefault(id) ?? [])
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id).Take(count).ToList();
}

/// <summary>Told after every rebuild of the portal snapshot, before any reader is given the new one.</summary>
public interface IPortalRebuildObserver
{
    Task OnRebuiltAsync(PortalRebuild rebuild, CancellationToken ct);
}

/// <param name="Previous">The snapshot replaced, or null on the first build.</param>
/// <param name="PreviousBuiltAt">When <paramref name="Previous"/> was built (UTC).</param>
/// <param name="BuiltAt">The time (UTC) the new snapshot reflects.</param>
public sealed record PortalRebuild(PortalSnapshot? Previous, DateTime? PreviousBuiltAt, PortalSnapshot Current, DateTime BuiltAt);
