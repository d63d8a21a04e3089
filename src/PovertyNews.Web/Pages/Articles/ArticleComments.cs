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

    public static async Task<ArticleComments> LoadAsync(NewsDbContext db, int articleId, int channelId, string? note, CancellationToken ct)
    {
        var state = await db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(a => new { a.CommentsClosed, Reviewed = !db.Channels.Any(c => c.Id == channelId && c.CommentsWithoutReview) })
            .SingleAsync(ct);
        var approved = db.Comments.AsNoTracking().Where(c => c.ArticleId == articleId && c.Status == CommentStatus.Approved);
        var items = await approved.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(MaxShown)
            .Select(c => new Item(c.Id, c.AuthorName, c.Body, c.CreatedAt, c.UserId != null, c.Reply, c.RepliedAt))
            .ToListAsync(ct);
        var count = items.Count < MaxShown ? items.Count : await approved.CountAsync(ct);
        return new(articleId, true, state.CommentsClosed, state.Reviewed, count, items, note);
    }
}
