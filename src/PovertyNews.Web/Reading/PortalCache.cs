using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;
using PovertyNews.Web.Markdown;

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
    ILogger<PortalCache> logger) : IChannelDirectory
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

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

    public async Task<ChannelLink?> FindAsync(string slug, CancellationToken ct)
    {
        var snapshot = await GetAsync(ct);
        return snapshot.FindChannel(slug) ?? snapshot.FindRedirect(slug);
    }

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
        var sidebars = await db.SidebarSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SidebarSettings();
        var channels = await db.Channels.AsNoTracking()
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new ChannelLink(c.Id, c.Slug, c.Name, c.ParentId, c.IsHidden, c.SortOrder))
            .ToListAsync(ct);
        var oldSlugs = await db.ChannelRedirects.AsNoTracking()
            .ToDictionaryAsync(r => r.OldSlug, r => r.ChannelId, StringComparer.Ordinal, ct);

        var opinionCount = Clamp(sidebars.OpinionCount, SidebarSettings.ListCountRange);
        var townCount = Clamp(sidebars.TownCount, SidebarSettings.ListCountRange);
        var hotVideos = await HotVideosAsync(db, now, Clamp(sidebars.HotVideoCount, SidebarSettings.VideoCountRange), ct);
        var hotNews = await HotNewsAsync(db, now, Clamp(sidebars.HotNewsCount, SidebarSettings.ListCountRange), ct);
        var newest = await NewestByChannelAsync(db, channels, now, Math.Max(Math.Max(opinionCount, townCount), BlockSize), ct);
        var opinion = ChannelSidebar("热点舆情", sidebars.OpinionChannelId, channels, newest, opinionCount);
        var towns = ChannelSidebar("特色小镇", sidebars.TownChannelId, channels, newest, townCount);
        var front = await FrontPageAsync(db, channels, newest, [sidebars.OpinionChannelId, sidebars.TownChannelId], now, ct);
        var topics = await TopicsAsync(db, scope.ServiceProvider.GetRequiredService<MarkdownRenderer>(), ct);

        // The snapshot goes stale when a scheduled article falls due, one goes offline at its 下线时间, or a pin runs
        // out, so it expires then.
        var nextDue = await db.Articles
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt > now)
            .MinAsync(a => a.PublishedAt, ct);
        // The 下线时间 alone, so SQLite answers from its index without reading a row (the status index would walk the
        // table); a withdrawn report's time only makes the snapshot expire once more.
        var nextOffline = await db.Articles.Where(a => a.OfflineAt > now).MinAsync(a => a.OfflineAt, ct);
        var nextPinExpiry = await db.Placements.Where(p => p.Until > now).MinAsync(p => p.Until, ct);
        var expires = new[] { nextDue ?? DateTime.MaxValue, nextOffline ?? DateTime.MaxValue, nextPinExpiry ?? DateTime.MaxValue }.Min();

        logger.LogDebug("Portal snapshot rebuilt with {HotNews} hot news items; valid until {ExpiresAt:o}", hotNews.Count, expires);
        return new Entry(new PortalSnapshot(settings, channels, hotVideos, hotNews, opinion, towns, front, oldSlugs, topics),
            now, expires, now + MaxAge, generation);
    }

    /// <summary>The visible articles an editor placed in <paramref name="block"/>, live placements only, top first.</summary>
    private static async Task<List<ArticleCard>> PlacedAsync(
        NewsDbContext db, CurationBlock block, DateTime now, int take, CancellationToken ct, ArticleKind? kind = null)
    {
        var ids = await db.Placements.AsNoTracking()
            .Where(p => p.Block == block).Where(Placement.LiveAt(now))
            .OrderBy(p => p.Position).ThenBy(p => p.Id)
            .Select(p => p.ArticleId)
            .ToListAsync(ct);
        return (await VisibleCardsAsync(db, ids, now, ct, kind)).Take(take).ToList();
    }

    /// <summary>
    /// The cards of the visible articles among <paramref name="ids"/>, in that order. The articles are looked up by key
    /// and their visibility is judged here: with the status and time in the query, SQLite prefers the status index
    /// and walks every published article (130–230 ms per query at a million articles).
    /// </summary>
    private static async Task<List<ArticleCard>> VisibleCardsAsync(
        NewsDbContext db, List<int> ids, DateTime now, CancellationToken ct, ArticleKind? kind = null)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var states = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Status, a.PublishedAt, a.OfflineAt, a.Kind }).ToListAsync(ct);
        var visible = states.Where(a => Article.IsVisible(a.Status, a.PublishedAt, a.OfflineAt, now) && (kind is null || a.Kind == kind))
            .Select(a => a.Id).ToList();
        var cards = await db.Articles.AsNoTracking().Where(a => visible.Contains(a.Id)).Select(ArticleCard.Projection).ToListAsync(ct);
        return ids.Select(id => cards.FirstOrDefault(c => c.Id == id)).OfType<ArticleCard>().ToList();
    }

    /// <summary>热点视频: the editors' picks in their order, then the newest videos to fill the block.</summary>
    private static async Task<List<ArticleCard>> HotVideosAsync(NewsDbContext db, DateTime now, int count, CancellationToken ct)
    {
        // Only videos that play: an editor's pick whose video is gone (or was never a file) is left out, not shown with ▶.
        var placed = await PlacedAsync(db, CurationBlock.HotVideos, now, count * 2, ct, ArticleKind.Video);
        var placedIds = placed.Select(p => p.Id).ToList();
        var playable = await db.Articles.AsNoTracking().Where(a => placedIds.Contains(a.Id)).Where(VideoSource.Playable)
            .Select(a => a.Id).ToListAsync(ct);
        var result = placed.Where(p => playable.Contains(p.Id)).Take(count).ToList();
        var exclude = result.Select(r => r.Id).ToList();
        result.AddRange(await NewestVisible.CardsAsync(
            db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Video && !exclude.Contains(a.Id)).Where(VideoSource.Playable),
            now, count - result.Count, ct));
        return result;
    }

    /// <summary>热点新闻: live pins first, then the most read of the last days, then the newest to fill the block.</summary>
    private async Task<List<ArticleCard>> HotNewsAsync(NewsDbContext db, DateTime now, int count, CancellationToken ct)
    {
        var pinned = await PlacedAsync(db, CurationBlock.HotNews, now, count, ct);

        var since = ChinaTime.Today(now).AddDays(1 - options.Value.HotNewsDays);
        var mostReadIds = await db.ArticleDailyViews.Where(v => v.Day >= since)
            .GroupBy(v => v.ArticleId)
            .Select(g => new { ArticleId = g.Key, Views = g.Sum(v => v.Views) })
            .OrderByDescending(x => x.Views).ThenByDescending(x => x.ArticleId)
            .Take(count * 3)
            .Select(x => x.ArticleId)
            .ToListAsync(ct);
        var mostRead = await VisibleCardsAsync(db, mostReadIds, now, ct);

        var result = pinned;
        result.AddRange(mostRead.Where(c => result.All(r => r.Id != c.Id)));
        if (result.Count < count)
        {
            var exclude = result.Select(r => r.Id).ToList();
            result.AddRange(await NewestVisible.CardsAsync(
                db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Article && !exclude.Contains(a.Id)), now, count - result.Count, ct));
        }
        return result.Take(count).ToList();
    }

    private static Sidebar ChannelSidebar(string title, int? channelId, List<ChannelLink> channels,
        Dictionary<int, List<ArticleCard>> newest, int count)
    {
        var channel = channels.FirstOrDefault(c => c.Id == channelId);
        return channel is null
            ? new Sidebar(title, null, [])
            : new Sidebar(title, channel.Slug, NewestOf(ChannelTree.SubtreeIds(channels, channel.Id), newest, count));
    }

    /// <summary>
    /// The front page: 头条 in the editors' order, then the newest reports, then the newest of each top-level channel's
    /// subtree — except the channels a sidebar beside it already lists (热点舆情, 特色小镇), which would show twice.
    /// </summary>
    private static async Task<FrontPage> FrontPageAsync(NewsDbContext db, List<ChannelLink> channels,
        Dictionary<int, List<ArticleCard>> newest, int?[] sidebarChannels, DateTime now, CancellationToken ct)
    {
        // A scheduled headline joins at its minute (the snapshot expires then); a withdrawn one is never shown.
        var headlines = await PlacedAsync(db, CurationBlock.Headline, now, PlacementList.CapacityOf(CurationBlock.Headline), ct);
        var headlineIds = headlines.Select(h => h.Id).ToList();
        var latest = await NewestVisible.CardsAsync(
            db.Articles.AsNoTracking().Where(a => a.Kind == ArticleKind.Article && !headlineIds.Contains(a.Id)), now, LatestCount, ct);

        var blocks = new List<ChannelBlock>();
        foreach (var channel in channels.Where(c => c.ParentId is null && !c.IsHidden && !sidebarChannels.Contains(c.Id)))
        {
            blocks.Add(new ChannelBlock(channel, NewestOf(ChannelTree.SubtreeIds(channels, channel.Id), newest, BlockSize)));
        }
        return new FrontPage(headlines, latest, blocks);
    }

    /// <summary>The published topics as cards, in the order lists show them.</summary>
    private static async Task<List<TopicCard>> TopicsAsync(NewsDbContext db, MarkdownRenderer markdown, CancellationToken ct)
    {
        var rows = await db.Topics.AsNoTracking().Where(t => t.IsPublished)
            .Select(t => new { t.Id, t.Slug, t.Title, t.IntroductionMarkdown, t.BannerImageUrl, t.BannerImageAlt, t.ShowOnFrontPage, t.Position,
                PublishedAt = t.PublishedAt ?? t.CreatedAt, t.UpdatedAt })
            .ToListAsync(ct);
        return TopicCard.Ordered(rows.Select(t => new TopicCard(t.Id, t.Slug, t.Title, TopicCard.Excerpt(PlainText(markdown, t.IntroductionMarkdown)),
            t.BannerImageUrl, t.BannerImageAlt, t.ShowOnFrontPage, t.Position, t.PublishedAt, t.UpdatedAt))).ToList();
    }

    /// <summary>The introduction as text; one the renderer now refuses (it was checked when saved) gives no excerpt.</summary>
    private static string PlainText(MarkdownRenderer markdown, string text)
    {
        try
        {
            return markdown.ToPlainText(text);
        }
        catch (MarkdownRejectedException)
        {
            return "";
        }
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
                var walk = NewestVisible.Query(db.Articles.AsNoTracking().Where(a => a.ChannelId == id).Where(VideoSource.Promotable), now, count);
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

    private static int Clamp(int value, (int Min, int Max) range) => Math.Clamp(value, range.Min, range.Max);
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
