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

    /// <summary>
    /// What the block needs to know before its list: read with the article itself (<see cref="ArticleQueries"/>), so a
    /// report without approved comments, most of them, costs the page no query of its own (SQLite parses and plans
    /// every statement anew; Microsoft.Data.Sqlite keeps no statement cache).
    /// </summary>
    public sealed record Facts(bool Closed, bool WithoutReview, bool AnyApproved);

    // Compiled: as LINQ run per request, the expression is walked and hashed to find its plan each time.
    private static readonly CompiledPerModel<Func<NewsDbContext, int, IAsyncEnumerable<Item>>> ItemsQuery = new(() => EF.CompileAsyncQuery(
        (NewsDbContext db, int articleId) => db.Comments.AsNoTracking()
            .Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(MaxShown)
            .Select(c => new Item(c.Id, c.AuthorName, c.Body, c.CreatedAt, c.UserId != null, c.Reply, c.RepliedAt))));

    public static async Task<ArticleComments> LoadAsync(NewsDbContext db, int articleId, Facts facts, string? note, CancellationToken ct)
    {
        if (!facts.AnyApproved)
        {
            return new(articleId, true, facts.Closed, !facts.WithoutReview, 0, [], note);
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var items = await ItemsQuery.For(db)(db, articleId).ListAsync(ct);
            var count = items.Count < MaxShown
                ? items.Count
                : await db.Comments.CountAsync(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved, ct);
            return new(articleId, true, facts.Closed, !facts.WithoutReview, count, items, note);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
