using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Notifications;

namespace PovertyNews.Web.Pages.Admin.Inbox;

/// <summary>消息: the signed-in person's notifications, newest first, unread ones marked; read, mark all, delete.</summary>
public class IndexModel(NewsDbContext db, InboxService inbox) : PageModel
{
    public const int PageSize = 20;

    public sealed record Item(long Id, NotificationKind Kind, int? ArticleId, string Text, string? ActorName, DateTime CreatedAt, bool Unread);

    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public IReadOnlyList<Item> Items { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, "/admin/inbox");
    public int UnreadCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "消息";
        ViewData["AdminSection"] = "inbox";
        var me = User.ToActor().UserId;
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == me);
        UnreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        var listed = Unread ? mine.Where(n => n.ReadAt == null) : mine;
        Paging = new Paging(Paging.Normalize(PageNumber), PageSize, Unread ? UnreadCount : await listed.CountAsync(ct), ListUrl(Unread, null), ShowTotal: false);
        if (Paging.IsBeyondEnd && Paging.Page > 1)
        {
            return NotFound();
        }
        Items = await listed.OrderByDescending(n => n.Id).Skip(Paging.Skip).Take(PageSize)
            .Select(n => new Item(n.Id, n.Kind, n.ArticleId, n.Text, n.ActorName, n.CreatedAt, n.ReadAt == null))
            .ToListAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostReadAsync(long id, CancellationToken ct) => AfterAsync(inbox.MarkReadAsync(User.ToActor().UserId, id, ct));

    /// <summary>
    /// Opening a notification reads it: marked read (one's own only; another's id is 404), then on to its report.
    /// A GET, as a mail client's open is: what it changes is the reader's own unread mark, nothing of the newsroom's.
    /// </summary>
    public async Task<IActionResult> OnGetOpenAsync(long id, CancellationToken ct)
    {
        var me = User.ToActor().UserId;
        var target = await db.Notifications.AsNoTracking().Where(n => n.Id == id && n.UserId == me)
            .Select(n => new { n.ArticleId, n.Kind }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return NotFound();
        }
        await inbox.MarkReadAsync(me, id, ct);
        return target.ArticleId is { } articleId
            ? RedirectToPage("/Admin/Articles/Review", new { id = articleId })
            : RedirectToPage(target.Kind == NotificationKind.SavedSearchMatch ? "/Admin/Search/Saved" : "/Admin/Inbox/Index");
    }

    public Task<IActionResult> OnPostReadAllAsync(CancellationToken ct) => AfterAsync(inbox.MarkAllReadAsync(User.ToActor().UserId, ct));

    public Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct) => AfterAsync(inbox.DeleteAsync(User.ToActor().UserId, id, ct));

    /// <summary>Back to the list the form was on (its filter and page), with the result's message.</summary>
    private async Task<IActionResult> AfterAsync(Task<Common.Result> write)
    {
        var result = await write;
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        TempData.Flash(result);
        return LocalRedirect(ListUrl(Unread, PageNumber));
    }

    /// <summary>A form's action: the handler and the item, and the list's filter and page to come back to.</summary>
    public string FormAction(string handler, long? id)
    {
        var url = ListUrl(Unread, PageNumber);
        return url + (url.Contains('?') ? '&' : '?') + $"handler={handler}" + (id is { } value ? $"&id={value}" : "");
    }

    public string ListUrl(bool unread, int? page)
    {
        var url = Url.Page("/Admin/Inbox/Index")!;
        var query = new List<string>();
        if (unread)
        {
            query.Add("unread=true");
        }
        if (page is > 1)
        {
            query.Add($"page={page}");
        }
        return query.Count == 0 ? url : url + "?" + string.Join("&", query);
    }
}
