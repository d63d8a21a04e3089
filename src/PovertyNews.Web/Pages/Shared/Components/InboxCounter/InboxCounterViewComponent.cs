using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Pages.Shared.Components.InboxCounter;

/// <summary>
/// The header's 消息 link with the signed-in person's unread count: one count over the (UserId, ReadAt, Id) index.
/// Nothing for a visitor who is not signed in (the sign-in page uses the same layout).
/// </summary>
public sealed class InboxCounterViewComponent(NewsDbContext db) : ViewComponent
{
    /// <summary>Beyond this the badge says "99+": the exact number of a pile that high tells nobody anything.</summary>
    public const int Shown = 99;

    public sealed record Counter(int Unread)
    {
        public string Badge => Unread > Shown ? $"{Shown}+" : Unread.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string Label => Unread == 0 ? "消息，没有未读消息" : $"消息，{Badge} 条未读消息";
    }

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var me = (User as ClaimsPrincipal)?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (me is null)
        {
            return Content("");
        }
        // Counting stops past the badge's limit, so a forgotten inbox never costs more than a hundred index rows (the
        // order is the index's own, there only because EF warns of a limit without one).
        var unread = await db.Notifications.AsNoTracking().Where(n => n.UserId == me && n.ReadAt == null).OrderBy(n => n.Id).Take(Shown + 1)
            .CountAsync(HttpContext.RequestAborted);
        return View(new Counter(unread));
    }
}
