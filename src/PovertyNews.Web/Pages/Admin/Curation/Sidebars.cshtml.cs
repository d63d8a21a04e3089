using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Curation;

namespace PovertyNews.Web.Pages.Admin.Curation;

/// <summary>侧栏设置: how many items each sidebar shows and which channel feeds 热点舆情 and 特色小镇.</summary>
[Authorize(Policy = AccessPolicies.Curators)]
public class SidebarsModel(NewsDbContext db, SidebarSettingsService sidebars) : PageModel
{
    public sealed record ChannelOption(int Id, string Name, bool IsChild);

    [BindProperty] public SidebarsInput Input { get; set; } = new();

    public IReadOnlyList<ChannelOption> Channels { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadChannelsAsync(ct);
        Input = SidebarsInput.From(await db.SidebarSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SidebarSettings());
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadChannelsAsync(ct);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await sidebars.SaveAsync(Input, User.Identity?.Name, ct);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Curation/Sidebars")!);
    }

    private async Task LoadChannelsAsync(CancellationToken ct)
    {
        ViewData["Title"] = "侧栏设置";
        ViewData["AdminSection"] = "curation";
        var channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        Channels = channels.Select(c => new ChannelOption(c.Id, c.Name, c.ParentId is not null)).ToList();
    }
}
