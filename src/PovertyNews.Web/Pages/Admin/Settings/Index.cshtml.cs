using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Settings;

namespace PovertyNews.Web.Pages.Admin.Settings;

/// <summary>
/// Site-wide settings (name, footer, 备案 numbers, disclaimer, contact defaults), saved by <see cref="SiteSettingsService"/>.
/// A conflicting save keeps the administrator's input and shows what is stored now.
/// </summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, SiteSettingsService settings) : PageModel
{
    public const string ConflictMessage = SiteSettingsService.ConflictMessage;
    public const string IcpMessage = SiteSettingsService.IcpMessage;
    public const string PublicSecurityMessage = SiteSettingsService.PublicSecurityMessage;

    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    /// <summary>After a conflict: the fields whose stored value differs from the input, with the stored value.</summary>
    public IReadOnlyList<(string Label, string Value)> StoredValues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        SetTitle();
        var stored = await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SiteSettings();
        Input = SettingsInput.From(stored);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        SetTitle();
        if (!ModelState.IsValid)
        {
            ModelState.AddErrors(SiteSettingsService.Check(Input));
            return Page();
        }
        var result = await settings.SaveAsync(Input, User.Identity?.Name, ct);
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/Settings/Index")!);
        }
        if (result is Result<SiteSettings> { Kind: ResultKind.Conflict, Value: { } stored })
        {
            ShowStored(stored);
        }
        ModelState.AddErrors(result);
        return Page();
    }

    private void ShowStored(SiteSettings stored)
    {
        var mine = Input.ToSettings();
        StoredValues = SettingsInput.Fields.Where(f => !Equals(f.Get(stored), f.Get(mine)))
            .Select(f => (f.Label, f.Get(stored)?.ToString() is { Length: > 0 } v ? v : "（空）")).ToList();
        ModelState.Remove($"{nameof(Input)}.{nameof(SettingsInput.Version)}");
        Input.Version = stored.Version.ToString();
    }

    private void SetTitle()
    {
        ViewData["Title"] = "网站设置";
        ViewData["AdminSection"] = "settings";
    }
}
