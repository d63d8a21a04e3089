using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Comments;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Pages.Admin.Comments;

/// <summary>
/// 留言审核: the queue (pending first), filtered by status, channel or report; approve, reject, reply (编辑回复),
/// delete, approve a selection; close or open a report's comments; 先审后发 per channel. Every form posts to a handler
/// and comes back here with the same filters (post-redirect-get); a refusal shows the page with its message and a 4xx.
/// </summary>
[Authorize(Policy = AccessPolicies.CommentModerators)]
public class IndexModel(NewsDbContext db, CommentService comments) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(long Id, int ArticleId, string ArticleTitle, string ArticleSlug, string ChannelName, string? Name, string Body,
        DateTime CreatedAt, CommentStatus Status, string? FlaggedWords, string? Reply, bool ByStaff, string? ModeratedBy)
    {
        public IReadOnlyList<string> Flagged => FlaggedWords?.Split('、', StringSplitOptions.RemoveEmptyEntries) ?? [];
    }

    public sealed record ChannelRow(int Id, string Name, bool WithoutReview);

    public sealed record ArticleInfo(int Id, string Title, string Url, bool Closed);

    /// <summary>pending (default), approved, rejected or all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Article { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PendingCount { get; private set; }
    public IReadOnlyList<ChannelRow> Channels { get; private set; } = [];
    public ArticleInfo? Filtered { get; private set; }

    /// <summary>The filters as route values, so every form comes back to the same list.</summary>
    public Dictionary<string, string> Filters
    {
        get
        {
            var values = new Dictionary<string, string>();
            if (Status is { Length: > 0 } status)
            {
                values["status"] = status;
            }
            if (Channel is { } channel)
            {
                values["channel"] = channel.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (Article is { } article)
            {
                values["article"] = article.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return values;
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(long commentId, CancellationToken ct) => AnswerAsync(() => comments.ApproveAsync(commentId, User, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(long commentId, CancellationToken ct) => AnswerAsync(() => comments.RejectAsync(commentId, User, ct), ct);

    public Task<IActionResult> OnPostDeleteAsync(long commentId, CancellationToken ct) => AnswerAsync(() => comments.DeleteAsync(commentId, ct), ct);

    public Task<IActionResult> OnPostReplyAsync(long commentId, string? reply, CancellationToken ct) =>
        AnswerAsync(() => comments.ReplyAsync(commentId, reply, User, ct), ct);

    public Task<IActionResult> OnPostApproveManyAsync(long[] ids, CancellationToken ct) =>
        AnswerAsync(() => comments.ApproveManyAsync(ids, User, ct), ct);

    public Task<IActionResult> OnPostCloseAsync(int articleId, CancellationToken ct) => AnswerAsync(() => comments.SetClosedAsync(articleId, true, ct), ct);

    public Task<IActionResult> OnPostOpenAsync(int articleId, CancellationToken ct) => AnswerAsync(() => comments.SetClosedAsync(articleId, false, ct), ct);

    public Task<IActionResult> OnPostReviewAsync(int channelId, bool review, CancellationToken ct) =>
        AnswerAsync(() => comments.SetChannelReviewAsync(channelId, review, ct), ct);

    private async Task<IActionResult> AnswerAsync(Func<Task<Result>> write, CancellationToken ct)
    {
        var result = await write();
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return RedirectToPage(new { status = Status, channel = Channel, article = Article });
        }
        ModelState.Clear();
        ModelState.AddErrors(result, null);
        Response.StatusCode = result.StatusCode;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "留言审核";
        ViewData["AdminSection"] = "comments";
        Status = Status is "approved" or "rejected" or "all" ? Status : "pending";
        var query = db.Comments.AsNoTracking().AsQueryable();
        query = Status switch
        {
            "approved" => query.Where(c => c.Status == CommentStatus.Approved),
            "rejected" => query.Where(c => c.Status == CommentStatus.Rejected),
            "all" => query,
            _ => query.Where(c => c.Status == CommentStatus.Pending),
        };
        if (Article is { } articleId)
        {
            query = query.Where(c => c.ArticleId == articleId);
            Filtered = await db.Articles.AsNoTracking().Where(a => a.Id == articleId)
                .Select(a => new ArticleInfo(a.Id, a.Title, PublicUrls.Article(a.Id, a.Slug), a.CommentsClosed)).SingleOrDefaultAsync(ct);
        }
        if (Channel is { } channelId)
        {
            query = query.Where(c => db.Articles.Any(a => a.Id == c.ArticleId && a.ChannelId == channelId));
        }
        Total = await query.CountAsync(ct);
        PendingCount = await db.Comments.CountAsync(c => c.Status == CommentStatus.Pending, ct);
        Rows = await (
                from c in query
                join a in db.Articles on c.ArticleId equals a.Id
                join ch in db.Channels on a.ChannelId equals ch.Id
                orderby (c.Status == CommentStatus.Pending ? 0 : 1), c.CreatedAt descending, c.Id descending
                select new Row(c.Id, a.Id, a.Title, a.Slug, ch.Name, c.AuthorName, c.Body, c.CreatedAt, c.Status, c.FlaggedWords,
                    c.Reply, c.UserId != null, c.ModeratedBy))
            .Take(PageSize).ToListAsync(ct);
        Channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new ChannelRow(c.Id, c.Name, c.CommentsWithoutReview)).ToListAsync(ct);
    }

    /// <summary>The body in pieces, the flagged words apart so the view can mark them; every piece is encoded by the view.</summary>
    public static IEnumerable<(string Text, bool Flagged)> Segments(string body, IReadOnlyList<string> flagged)
    {
        var words = flagged.Where(w => w.Length > 0).OrderByDescending(w => w.Length).ToList();
        var start = 0;
        var i = 0;
        while (i < body.Length && words.Count > 0)
        {
            var word = words.FirstOrDefault(w => string.CompareOrdinal(body, i, w, 0, w.Length) == 0);
            if (word is null)
            {
                i++;
                continue;
            }
            if (i > start)
            {
                yield return (body[start..i], false);
            }
            yield return (word, true);
            i += word.Length;
            start = i;
        }
        if (start < body.Length)
        {
            yield return (body[start..], false);
        }
    }
}
