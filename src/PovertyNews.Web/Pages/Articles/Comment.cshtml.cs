using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Comments;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// Where the comment form under a report posts (never cached). Success redirects back to the report with a note
/// (?comment=pending|ok, a cache variant of its own); a refusal shows the form again here, input kept, with the
/// message and a 4xx. The form on the cached report page carries no antiforgery token, so none is required: an
/// anonymous comment has nobody to forge it for. A signed-in staff member's comment is theirs only with a valid
/// token (their uncached page has one); without it, it is taken as any reader's.
/// </summary>
[IgnoreAntiforgeryToken]
public class CommentModel(NewsDbContext db, CommentService comments, CommentFormStamp stamps, IAntiforgery antiforgery,
    IOptions<CommentOptions> options, TimeProvider time) : PageModel
{
    [BindProperty]
    public CommentInput Input { get; set; } = new();

    public string Title { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";
    public CommentFormView Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>
    /// A fresh form stamp for the form under a cached report (js/comments.js asks when the reader starts writing), so
    /// the minimum time counts from this reader's own request, not from when the page was cached.
    /// </summary>
    public async Task<IActionResult> OnGetStampAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "no-store";
        return Content(Form.Stamp!, "text/plain; charset=utf-8");
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var staff = User.Identity?.IsAuthenticated == true && await antiforgery.IsRequestValidAsync(HttpContext) ? User : null;
        var result = await comments.PostAsync(id, Input, HttpContext.Connection.RemoteIpAddress, staff, ct);
        if (result.Succeeded && result.Value is { } posted)
        {
            var url = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Id, a.Slug }).SingleAsync(ct);
            var note = posted.Visible ? $"ok#comment-{posted.Id}" : "pending#comments";
            return Redirect($"{PublicUrls.Article(url.Id, url.Slug)}?{ReaderQuery.CommentKey}={note}");
        }
        if (result.Kind == ResultKind.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }
        ModelState.Clear();
        ModelState.AddErrors(result);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Slug, a.Title, a.Status, a.PublishedAt, a.OfflineAt, a.ChannelId }).SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (!options.Value.Enabled || article is null || !Article.IsVisible(article.Status, article.PublishedAt, article.OfflineAt, now))
        {
            return false;
        }
        Title = article.Title;
        ArticleUrl = PublicUrls.Article(article.Id, article.Slug);
        var reviewed = !await db.Channels.AnyAsync(c => c.Id == article.ChannelId && c.CommentsWithoutReview, ct);
        Form = new CommentFormView(id, stamps.Issue(), User.Identity?.IsAuthenticated == true, reviewed, Input.Name, Input.Body);
        PageMeta.Set(ViewData, "发表留言：" + article.Title, noIndex: true);
        return true;
    }
}
