using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// An article's 留言 block as readers see it: the approved comments (newest first), whether new ones are taken, and
/// the note after a post (?comment=pending|ok). Every text here is the reader's: the view encodes it, never Html.Raw.
/// </summary>
public sealed record ArticleComments(int ArticleId, bool Enabled, bool Closed, bool Reviewed, int Count, IReadOnlyList<ArticleComments.Item> Items, string? Note)
{
    /// <summary>Most comments shown; a report with more shows the newest.</summary>
    public const int MaxShown = 200;

    public sealed record Item(long Id, string? Name, string Body, DateTime CreatedAt, bool ByStaff, string? Reply, DateTime? RepliedAt)
    {
        public string ShownName => string.IsNullOrWhiteSpace(Name) ? "网友" : Name;
    }

    public static ArticleComments Disabled(int articleId) => new(articleId, false, true, true, 0, [], null);

    private sealed record State(bool CommentsClosed, bool Reviewed);

    // Compiled, and both on one opening of the connection: as LINQ run per request these two small queries were a
    // seventh of an uncached article page's processor time (the expression walked and hashed to find its plan each time).
    private static readonly CompiledPerModel<Func<NewsDbContext, int, int, Task<State?>>> StateQuery = new(() => EF.CompileAsyncQuery(
        (NewsDbContext db, int articleId, int channelId) => db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(a => new State(a.CommentsClosed, !db.Channels.Any(c => c.Id == channelId && c.CommentsWithoutReview)))
            .FirstOrDefault()));

    private static readonly CompiledPerModel<Func<NewsDbContext, int, IAsyncEnumerable<Item>>> ItemsQuery = new(() => EF.CompileAsyncQuery(
        (NewsDbContext db, int articleId) => db.Comments.AsNoTracking()
            .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(MaxShown)
            .Select(c => new Item(c.Id, c.AuthorName, c.Body, c.CreatedAt, c.UserId != null, c.Reply, c.RepliedAt))));

    public static async Task<ArticleComments> LoadAsync(NewsDbContext db, int articleId, int channelId, string? note, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var state = await StateQuery.For(db)(db, articleId, channelId)
                ?? throw new InvalidOperationException($"Article {articleId} is gone.");
            var items = await ItemsQuery.For(db)(db, articleId).ListAsync(ct);
            var count = items.Count < MaxShown
                ? items.Count
                : await db.Comments.CountAsync(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved, ct);
            return new(articleId, true, state.CommentsClosed, state.Reviewed, count, items, note);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
