using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
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
    /// <summary>
    /// Both neighbours in one statement, each side its own index seek: one round trip, and one parse and plan where
    /// statements are not kept prepared (on SQLite, <see cref="Prepared"/> stands in for it).
    /// </summary>
    private static readonly CompiledPerModel<Func<NewsDbContext, int, DateTime, int, DateTime, IAsyncEnumerable<ArticleCard>>> BothQuery =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int channelId, DateTime publishedAt, int id, DateTime now) =>
            db.Articles.AsNoTracking()
                // The plain bound beside the OR is what PostgreSQL can seek with (SQLite 3.4x derives it from the OR
                // by itself): without it, PostgreSQL read the channel's index from its newest report down to this one,
                // each row from the table: 390 ms for a 2017 report at 300,000 articles, against 0.2 ms.
                .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published && a.PublishedAt <= publishedAt
                    && (a.PublishedAt < publishedAt || (a.PublishedAt == publishedAt && a.Id < id))
                    && (a.OfflineAt == null || a.OfflineAt > now))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(1)
                .Concat(db.Articles.AsNoTracking()
                    .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published && a.PublishedAt <= now
                        && a.PublishedAt >= publishedAt
                        && (a.PublishedAt > publishedAt || (a.PublishedAt == publishedAt && a.Id > id))
                        && (a.OfflineAt == null || a.OfflineAt > now))
                    .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).Take(1))
                .Select(ArticleCard.Projection)));

    /// <summary><see cref="ArticleCard.Projection"/> in SQL (before <see cref="Prepared"/>, which uses it).</summary>
    private static readonly string CardColumns = $"""
        "a"."Id", "a"."Slug", "a"."Title", "a"."Summary", COALESCE("a"."PublishedAt", "a"."CreatedAt"), "a"."ChannelId", "c"."Name", "c"."Slug", "a"."Kind",
        CASE WHEN "a"."Kind" = {(int)ArticleKind.Video} THEN COALESCE("a"."VideoPosterUrl", "a"."CoverImageUrl") ELSE "a"."CoverImageUrl" END,
        COALESCE("a"."CoverImageAlt", "a"."Title")
        """;

    /// <summary>
    /// SQLite's own SQL for <see cref="BothQuery"/>, kept prepared (<see cref="SqliteStatements"/>); a test compares the
    /// two on every report of a channel.
    /// </summary>
    internal static readonly PreparedRead Prepared = new($"""
        SELECT * FROM (
            SELECT {CardColumns}
            FROM "Articles" AS "a" INNER JOIN "Channels" AS "c" ON "a"."ChannelId" = "c"."Id"
            WHERE "a"."ChannelId" = $channel AND "a"."Status" = {(int)ArticleStatus.Published} AND "a"."PublishedAt" <= $published
                AND ("a"."PublishedAt" < $published OR ("a"."PublishedAt" = $published AND "a"."Id" < $id))
                AND ("a"."OfflineAt" IS NULL OR "a"."OfflineAt" > $now)
            ORDER BY "a"."PublishedAt" DESC, "a"."Id" DESC LIMIT 1)
        UNION ALL
        SELECT * FROM (
            SELECT {CardColumns}
            FROM "Articles" AS "a" INNER JOIN "Channels" AS "c" ON "a"."ChannelId" = "c"."Id"
            WHERE "a"."ChannelId" = $channel AND "a"."Status" = {(int)ArticleStatus.Published} AND "a"."PublishedAt" <= $now
                AND "a"."PublishedAt" >= $published
                AND ("a"."PublishedAt" > $published OR ("a"."PublishedAt" = $published AND "a"."Id" > $id))
                AND ("a"."OfflineAt" IS NULL OR "a"."OfflineAt" > $now)
            ORDER BY "a"."PublishedAt", "a"."Id" LIMIT 1)
        """, "$channel", "$published", "$id", "$now");

    private static List<ArticleCard> ReadCards(SqliteDataReader r)
    {
        var cards = new List<ArticleCard>(2);
        while (r.Read())
        {
            cards.Add(new ArticleCard(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3),
                DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Utc), r.GetInt32(5), r.GetString(6), r.GetString(7),
                (ArticleKind)r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10)));
        }
        return cards;
    }

    /// <summary>Both neighbours from the database, in either order: prepared on SQLite, compiled elsewhere.</summary>
    internal static async Task<List<ArticleCard>> BothAsync(NewsDbContext db, SqliteStatements statements, int channelId,
        DateTime published, int articleId, DateTime now, CancellationToken ct)
    {
        using (var lease = statements.Rent())
        {
            if (lease is not null)
            {
                return lease.Read(Prepared, [channelId, published, articleId, now], ReadCards);
            }
        }
        var cards = new List<ArticleCard>(2);
        await foreach (var card in BothQuery.For(db)(db, channelId, published, articleId, now).WithCancellation(ct))
        {
            cards.Add(card);
        }
        return cards;
    }

    /// <param name="newest">The channel's newest reports, newest first, as 延伸阅读 keeps them (may be older than now).</param>
    public static async Task<Neighbours> FindAsync(NewsDbContext db, SqliteStatements statements, int articleId, int channelId,
        DateTime publishedAt, IReadOnlyList<ArticleCard> newest, DateTime now, CancellationToken ct)
    {
        var utcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var published = DateTime.SpecifyKind(publishedAt, DateTimeKind.Utc);
        var visible = newest.Where(c => c.PublishedAt <= utcNow).ToList();
        var at = visible.FindIndex(c => c.Id == articleId);
        // Inside the list: both neighbours are in it. The list's first is the channel's newest only if nothing was
        // published since the list was read, which the list's eviction (a publication in the channel) guarantees.
        if (at >= 0 && at < visible.Count - 1)
        {
            return new Neighbours(visible[at + 1], at > 0 ? visible[at - 1] : null);
        }
        // Outside the list (or its last): ask for both at once; the older one is told apart by its place in the order.
        ArticleCard? older = null, newer = null;
        foreach (var card in await BothAsync(db, statements, channelId, published, articleId, utcNow, ct))
        {
            if (card.PublishedAt < published || (card.PublishedAt == published && card.Id < articleId))
            {
                older = card;
            }
            else
            {
                newer = card;
            }
        }
        // Inside the list as its last: the newer one is in the list and nothing newer was published since it was read.
        return new Neighbours(older, at > 0 ? visible[at - 1] : at == 0 ? null : newer);
    }
}
