using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Notifications;

namespace PovertyNews.Web.Pages.Admin.Inbox;

/// <summary>通知设置: per kind of notification, in the inbox (站内) and by e-mail (邮件).</summary>
public class SettingsModel(NewsDbContext db, InboxService inbox) : PageModel
{
    public sealed class ChoiceInput
    {
        public NotificationKind Kind { get; set; }
        public bool InApp { get; set; }
        public bool Email { get; set; }
    }

    [BindProperty] public List<ChoiceInput> Input { get; set; } = [];

    /// <summary>Why e-mail cannot be chosen, or null.</summary>
    public string? EmailUnavailable { get; private set; }

    public string? Address { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = User.ToActor().UserId;
        var stored = await db.NotificationPreferences.AsNoTracking().Where(p => p.UserId == me).ToDictionaryAsync(p => p.Kind, ct);
        Input = [.. InboxService.Kinds.Select(kind =>
        {
            var (inApp, email) = Notifier.Deliveries(stored.GetValueOrDefault(kind));
            return new ChoiceInput { Kind = kind, InApp = inApp, Email = email };
        })];
        await LoadAsync(me, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var me = User.ToActor().UserId;
        var result = await inbox.SavePreferencesAsync(me, [.. Input.Select(c => new PreferenceChoice(c.Kind, c.InApp, c.Email))], ct);
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return RedirectToPage();
        }
        ModelState.AddErrors(result, null);
        await LoadAsync(me, ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task LoadAsync(string me, CancellationToken ct)
    {
        ViewData["Title"] = "通知设置";
        ViewData["AdminSection"] = "inbox";
        EmailUnavailable = await inbox.EmailUnavailableReasonAsync(me, ct);
        Address = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.Email).SingleOrDefaultAsync(ct);
    }
}
