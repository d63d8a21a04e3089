using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
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
    /// The article with its tags, on one opening of the connection: opening and closing it around each query was a
    /// tenth of an uncached article page's processor time.
    /// </summary>
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
}
