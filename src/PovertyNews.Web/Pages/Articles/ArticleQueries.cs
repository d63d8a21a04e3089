using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// The article page's own queries, compiled once. A LINQ query is otherwise walked, funcletized and hashed on every
/// execution to find its cached plan; on this page that cost more processor time than SQLite spent answering.
/// </summary>
internal static class ArticleQueries
{
    private static readonly CompiledPerModel<Func<NewsDbContext, int, Task<ShowModel.ArticlePage?>>> ArticleQuery = new(() => EF.CompileAsyncQuery(
        (NewsDbContext db, int id) => db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new ShowModel.ArticlePage(
                a.Id, a.Slug, a.Title, a.Subtitle, a.Summary, a.BodyHtml,
                a.ChannelId, a.Channel!.Name, a.Channel.Slug, new List<ShowModel.TagLink>(),
                a.Source, a.ReprintedFrom, a.Author, a.ResponsibleEditor,
                a.ContactHotline, a.ContactWeChat, a.CoverImageUrl, a.CoverImageAlt,
                a.Kind, a.VideoUrl, a.VideoPosterUrl,
                a.Status, a.PublishedAt, a.Reviews.Where(r => r.Action == ReviewAction.ChangeApplied).Max(r => (DateTime?)r.At),
                a.CorrectionNote, a.CorrectedAt, a.WithdrawnAt, a.OfflineAt,
                // A library video's running time, for VideoObject (its name is the URL after "/media/", by the unique index).
                db.MediaItems.Where(m => m.StoredName == a.VideoUrl!.Substring(7)).Select(m => m.DurationSeconds).FirstOrDefault(),
                new ArticleComments.Facts(a.CommentsClosed, a.Channel.CommentsWithoutReview,
                    db.Comments.Any(c => c.ArticleId == a.Id && c.Status == CommentStatus.Approved))))
            .FirstOrDefault()));

    public static Task<ShowModel.ArticlePage?> Article(NewsDbContext db, int id) => ArticleQuery.For(db)(db, id);

    /// <summary>The tags by themselves: as a collection of the query above, SQLite joined every tag link of the archive.</summary>
    private static readonly CompiledPerModel<Func<NewsDbContext, int, IAsyncEnumerable<ShowModel.TagLink>>> TagsQuery = new(() => EF.CompileAsyncQuery(
        (NewsDbContext db, int id) => db.Articles.AsNoTracking().Where(a => a.Id == id).SelectMany(a => a.Tags)
            .OrderBy(t => t.Name).Select(t => new ShowModel.TagLink(t.Id, t.Name))));

    public static IAsyncEnumerable<ShowModel.TagLink> Tags(NewsDbContext db, int id) => TagsQuery.For(db)(db, id);

    /// <summary>
    /// The article with its tags: on SQLite from statements kept prepared (<see cref="SqliteStatements"/>), elsewhere
    /// through the compiled queries above on one opening of the connection (opening and closing it around each query
    /// was a tenth of an uncached article page's processor time).
    /// </summary>
    public static async Task<ShowModel.ArticlePage?> ArticleWithTagsAsync(NewsDbContext db, SqliteStatements statements, int id,
        CancellationToken ct)
    {
        using (var lease = statements.Rent())
        {
            if (lease is not null)
            {
                var found = lease.Read(PreparedArticle, [id], ReadArticle);
                return found is null ? null : found with { Tags = lease.Read(PreparedTags, [id], ReadTags) };
            }
        }
        return await ArticleWithTagsAsync(db, id, ct);
    }

    /// <summary>The compiled queries' way, on every provider: what the prepared statements are checked against.</summary>
    public static async Task<ShowModel.ArticlePage?> ArticleWithTagsAsync(NewsDbContext db, int id, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var article = await Article(db, id);
            return article is null ? null : article with { Tags = await Tags(db, id).ListAsync(ct) };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<List<T>> ListAsync<T>(this IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }
        return list;
    }

    // SQLite's own SQL for the two compiled queries above (their projection, column by column); a test compares the
    // two ways on every kind of report, so a change to one that the other lacks fails there.
    private static readonly PreparedRead PreparedArticle = new($"""
        SELECT "a"."Id", "a"."Slug", "a"."Title", "a"."Subtitle", "a"."Summary", "a"."BodyHtml", "a"."ChannelId", "c"."Name", "c"."Slug",
            "a"."Source", "a"."ReprintedFrom", "a"."Author", "a"."ResponsibleEditor", "a"."ContactHotline", "a"."ContactWeChat",
            "a"."CoverImageUrl", "a"."CoverImageAlt", "a"."Kind", "a"."VideoUrl", "a"."VideoPosterUrl", "a"."Status", "a"."PublishedAt",
            (SELECT MAX("r"."At") FROM "ArticleReviews" AS "r" WHERE "r"."ArticleId" = "a"."Id" AND "r"."Action" = {(int)ReviewAction.ChangeApplied}),
            "a"."CorrectionNote", "a"."CorrectedAt", "a"."WithdrawnAt", "a"."OfflineAt",
            (SELECT "m"."DurationSeconds" FROM "MediaItems" AS "m" WHERE "m"."StoredName" = substr("a"."VideoUrl", 8) LIMIT 1),
            "a"."CommentsClosed", "c"."CommentsWithoutReview",
            EXISTS (SELECT 1 FROM "Comments" AS "k" WHERE "k"."ArticleId" = "a"."Id" AND "k"."Status" = {(int)CommentStatus.Approved})
        FROM "Articles" AS "a"
        INNER JOIN "Channels" AS "c" ON "a"."ChannelId" = "c"."Id"
        WHERE "a"."Id" = $id
        """, "$id");

    private static readonly PreparedRead PreparedTags = new("""
        SELECT "t"."Id", "t"."Name"
        FROM "ArticleTags" AS "at"
        INNER JOIN "Tags" AS "t" ON "at"."TagsId" = "t"."Id"
        WHERE "at"."ArticlesId" = $id
        ORDER BY "t"."Name"
        """, "$id");

    private static ShowModel.ArticlePage? ReadArticle(SqliteDataReader r) => !r.Read() ? null : new ShowModel.ArticlePage(
        r.GetInt32(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetString(4), r.GetString(5),
        r.GetInt32(6), r.GetString(7), r.GetString(8), [],
        Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Text(r, 14),
        Text(r, 15), Text(r, 16), (ArticleKind)r.GetInt32(17), Text(r, 18), Text(r, 19),
        (ArticleStatus)r.GetInt32(20), Time(r, 21), Time(r, 22),
        Text(r, 23), Time(r, 24), Time(r, 25), Time(r, 26),
        r.IsDBNull(27) ? null : r.GetDouble(27),
        new ArticleComments.Facts(r.GetBoolean(28), r.GetBoolean(29), r.GetBoolean(30)));

    private static List<ShowModel.TagLink> ReadTags(SqliteDataReader r)
    {
        var tags = new List<ShowModel.TagLink>();
        while (r.Read())
        {
            tags.Add(new ShowModel.TagLink(r.GetInt32(0), r.GetString(1)));
        }
        return tags;
    }

    internal static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>As EF Core reads it here: every stored time is UTC (see NewsDbContext's conventions).</summary>
    internal static DateTime? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc);
}
