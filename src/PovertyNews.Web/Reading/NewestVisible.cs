using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// "The newest few visible articles of …" as an index walk instead of a sort. Visible means published or scheduled
/// and due, and not past its 下线时间 (<see cref="Article.VisibleAt"/>); with the status as an IN list, SQLite reads every entry of both
/// statuses in the (…, Status, PublishedAt) indexes and sorts them — tens of thousands of rows for a channel of a
/// large archive. One query per status reads the index backwards and stops after <c>take</c> rows; the two short
/// lists are merged here. Scheduled-and-due articles are few (the scheduler marks them published within seconds).
/// </summary>
public static class NewestVisible
{
    /// <summary>The newest visible articles of <paramref name="scope"/> as cards, newest first.</summary>
    public static Task<List<ArticleCard>> CardsAsync(IQueryable<Article> scope, DateTime now, int take, CancellationToken ct) =>
        ListAsync(scope, now, take, ArticleCard.Projection, ct);

    /// <summary>The newest visible articles of <paramref name="scope"/>, newest first, projected by <paramref name="selector"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(IQueryable<Article> scope, DateTime now, int take,
        Expression<Func<Article, T>> selector, CancellationToken ct) where T : IPublished
    {
        if (take <= 0)
        {
            return [];
        }
        var rows = await Query(scope, now, take).Select(selector).ToListAsync(ct);
        return rows.OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id).Take(take).ToList();
    }

    /// <summary>
    /// Up to <paramref name="take"/> of the newest of each status, in one query (UNION ALL of two index walks); the
    /// caller orders and cuts the rows. Queries of several scopes can be concatenated into one round trip.
    /// </summary>
    public static IQueryable<Article> Query(IQueryable<Article> scope, DateTime now, int take)
    {
        var utc = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        return Newest(scope, ArticleStatus.Published, utc, take).Concat(Newest(scope, ArticleStatus.Scheduled, utc, take));
    }

    private static IQueryable<Article> Newest(IQueryable<Article> scope, ArticleStatus status, DateTime now, int take) =>
        scope.Where(a => a.Status == status && a.PublishedAt != null && a.PublishedAt <= now && (a.OfflineAt == null || a.OfflineAt > now))
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(take);
}
