using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>
/// Computes the <see cref="PortalSnapshot"/> once per change instead of once per page. It is rebuilt when
/// something calls <see cref="Invalidate"/> (import, editing, a view-count flush), when a scheduled article
/// falls due or a pin expires, and at the latest after <see cref="MaxAge"/>.
/// </summary>
public sealed class PortalCache(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<ReadingOptions> options,
    ILogger<PortalCache> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile Entry? _current;

    private sealed record Entry(PortalSnapshot Snapshot, DateTime ExpiresAt);

    public async ValueTask<PortalSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_current is { } entry && entry.ExpiresAt > now)
        {
            return entry.Snapshot;
        }
        // One rebuild at a time: a burst of readers after a change waits for one query round, not many.
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            now = time.GetUtcNow().UtcDateTime;
            if (_current is { } fresh && fresh.ExpiresAt > now)
            {
                return fresh.Snapshot;
            }
            var built = await BuildAsync(now, cancellationToken);
            _current = built;
            return built.Snapshot;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    public void Invalidate() => _current = null;

    private async Task<Entry> BuildAsync(DateTime now, CancellationToken ct)
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
        var visible = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));

        var hotVideos = await HotVideosAsync(db, visible, now, Clamp(sidebars.HotVideoCount, SidebarSettings.VideoCountRange), ct);
        var hotNews = await HotNewsAsync(db, visible, now, Clamp(sidebars.HotNewsCount, SidebarSettings.ListCountRange), ct);
        var opinion = await ChannelSidebarAsync("热点舆情", sidebars.OpinionChannelId, channels, visible,
            Clamp(sidebars.OpinionCount, SidebarSettings.ListCountRange), ct);
        var towns = await ChannelSidebarAsync("特色小镇", sidebars.TownChannelId, channels, visible,
            Clamp(sidebars.TownCount, SidebarSettings.ListCountRange), ct);

        // The snapshot goes stale when a scheduled article falls due or a pin runs out, so it expires then.
        var nextDue = await db.Articles
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt > now)
            .MinAsync(a => a.PublishedAt, ct);
        var nextPinExpiry = await db.Placements.Where(p => p.Until > now).MinAsync(p => p.Until, ct);
        var expires = new[] { now + MaxAge, nextDue ?? DateTime.MaxValue, nextPinExpiry ?? DateTime.MaxValue }.Min();

        logger.LogDebug("Portal snapshot rebuilt with {HotNews} hot news items; valid until {ExpiresAt:o}", hotNews.Count, expires);
        return new Entry(new PortalSnapshot(settings, channels, hotVideos, hotNews, opinion, towns, oldSlugs), expires);
    }

    /// <summary>The visible articles an editor placed in <paramref name="block"/>, live placements only, top first.</summary>
    public static IQueryable<Article> Placed(NewsDbContext db, CurationBlock block, DateTime now) =>
        db.Placements.AsNoTracking()
            .Where(p => p.Block == block).Where(Placement.LiveAt(now))
            .OrderBy(p => p.Position).ThenBy(p => p.Id)
            .Select(p => p.Article!)
            .Where(Article.VisibleAt(now));

    /// <summary>热点视频: the editors' picks in their order, then the newest videos to fill the block.</summary>
    private static async Task<List<ArticleCard>> HotVideosAsync(
        NewsDbContext db, IQueryable<Article> visible, DateTime now, int count, CancellationToken ct)
    {
        var result = await Placed(db, CurationBlock.HotVideos, now).Where(a => a.Kind == ArticleKind.Video)
            .Select(ArticleCard.Projection).Take(count).ToListAsync(ct);
        if (result.Count < count)
        {
            var exclude = result.Select(r => r.Id).ToList();
            result.AddRange(await visible.Where(a => a.Kind == ArticleKind.Video && !exclude.Contains(a.Id))
                .OrderByDescending(a => a.PublishedAt)
                .Select(ArticleCard.Projection).Take(count - result.Count).ToListAsync(ct));
        }
        return result;
    }

    /// <summary>热点新闻: live pins first, then the most read of the last days, then the newest to fill the block.</summary>
    private async Task<List<ArticleCard>> HotNewsAsync(
        NewsDbContext db, IQueryable<Article> visible, DateTime now, int count, CancellationToken ct)
    {
        var pinned = await Placed(db, CurationBlock.HotNews, now)
            .Select(ArticleCard.Projection).Take(count).ToListAsync(ct);

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
            result.AddRange(await visible.Where(a => a.Kind == ArticleKind.Article && !exclude.Contains(a.Id))
                .OrderByDescending(a => a.PublishedAt)
                .Select(ArticleCard.Projection).Take(count - result.Count).ToListAsync(ct));
        }
        return result.Take(count).ToList();
    }

    private static async Task<Sidebar> ChannelSidebarAsync(
        string title, int? channelId, List<ChannelLink> channels, IQueryable<Article> visible, int count, CancellationToken ct)
    {
        var channel = channels.FirstOrDefault(c => c.Id == channelId);
        if (channel is null)
        {
            return new Sidebar(title, null, []);
        }
        var ids = ChannelTree.SubtreeIds(channels, channel.Id);
        var items = await visible.Where(a => ids.Contains(a.ChannelId))
            .OrderByDescending(a => a.PublishedAt)
            .Select(ArticleCard.Projection).Take(count).ToListAsync(ct);
        return new Sidebar(title, channel.Slug, items);
    }

    private static int Clamp(int value, (int Min, int Max) range) => Math.Clamp(value, range.Min, range.Max);
}
