using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>上一篇 (the next older report of the channel) and 下一篇 (the next newer one) of an article page.</summary>
public sealed record Neighbours(ArticleCard? Older, ArticleCard? Newer)
{
    public static readonly Neighbours None = new(null, null);
}

/// <summary>
/// 上一篇/下一篇 within the article's channel, in the order of the channel's listing (published time, then id).
/// Most reads are of recent reports, which sit inside the channel's newest list that 延伸阅读 keeps anyway
/// (<see cref="RelatedArticles.NewestOfChannelAsync"/>), so both are found there without a query; an older report
/// costs one index seek each way. Like 延伸阅读, a scheduled report joins when the scheduler marks it published.
/// </summary>
public static class ChannelNeighbours
{
    private static readonly CompiledPerModel<Func<NewsDbContext, int, DateTime, int, DateTime, IAsyncEnumerable<ArticleCard>>> OlderQuery =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int channelId, DateTime publishedAt, int id, DateTime now) =>
            db.Articles.AsNoTracking()
                .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published
                    && (a.PublishedAt < publishedAt || (a.PublishedAt == publishedAt && a.Id < id))
                    && (a.OfflineAt == null || a.OfflineAt > now))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(1)
                .Select(ArticleCard.Projection)));

    private static readonly CompiledPerModel<Func<NewsDbContext, int, DateTime, int, DateTime, IAsyncEnumerable<ArticleCard>>> NewerQuery =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int channelId, DateTime publishedAt, int id, DateTime now) =>
            db.Articles.AsNoTracking()
                .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published && a.PublishedAt <= now
                    && (a.PublishedAt > publishedAt || (a.PublishedAt == publishedAt && a.Id > id))
                    && (a.OfflineAt == null || a.OfflineAt > now))
                .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).Take(1)
                .Select(ArticleCard.Projection)));

    /// <param name="newest">The channel's newest reports, newest first, as 延伸阅读 keeps them (may be older than now).</param>
    public static async Task<Neighbours> FindAsync(NewsDbContext db, int articleId, int channelId, DateTime publishedAt,
        IReadOnlyList<ArticleCard> newest, DateTime now, CancellationToken ct)
    {
        var utcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var published = DateTime.SpecifyKind(publishedAt, DateTimeKind.Utc);
        var visible = newest.Where(c => c.PublishedAt <= utcNow).ToList();
        var at = visible.FindIndex(c => c.Id == articleId);
        // Inside the list: both neighbours are in it. The list's first is the channel's newest only if nothing was
        // published since the list was read, which the list's eviction (a publication in the channel) guarantees.
        var newer = at > 0 ? visible[at - 1] : at == 0 ? null : await FirstAsync(NewerQuery.For(db)(db, channelId, published, articleId, utcNow), ct);
        var older = at >= 0 && at < visible.Count - 1 ? visible[at + 1]
            : await FirstAsync(OlderQuery.For(db)(db, channelId, published, articleId, utcNow), ct);
        return new Neighbours(older, newer);
    }

    private static async Task<ArticleCard?> FirstAsync(IAsyncEnumerable<ArticleCard> rows, CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct))
        {
            return row;
        }
        return null;
    }
}
