using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Channels;

namespace PovertyNews.Web.Pages.Admin.Channels;

[Authorize(Policy = AccessPolicies.ChannelManagers)]
public class NewModel(NewsDbContext db, ChannelService channels) : PageModel, IChannelFormPage
{
    [BindProperty]
    public ChannelInput Input { get; set; } = new();

    public IReadOnlyList<ChannelChoice> Parents { get; private set; } = [];

    public async Task OnGetAsync(int? parent, CancellationToken ct)
    {
        Input.ParentId = parent?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The service checks everything (and in Chinese); the binder's own messages are not wanted.
        ModelState.Clear();
        var result = await channels.CreateAsync(Input, ct);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            await LoadAsync(ct);
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Channels/Index")!);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "新建栏目";
        ViewData["AdminSection"] = "channels";
        Parents = await ChannelForm.ChoicesAsync(db, ct);
    }
}
