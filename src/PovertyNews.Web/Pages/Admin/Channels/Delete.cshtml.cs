using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Channels;

namespace PovertyNews.Web.Pages.Admin.Channels;

/// <summary>
/// Deleting a channel: what it holds, where that goes (articles and sub-channels move to the chosen channel in the
/// same transaction), and a refusal when the channel feeds a sidebar.
/// </summary>
[Authorize(Policy = AccessPolicies.ChannelManagers)]
public class DeleteModel(NewsDbContext db, ChannelService channels) : PageModel
{
    public Channel Channel { get; private set; } = null!;
    public ChannelService.DeletionFacts Facts { get; private set; } = null!;
    public IReadOnlyList<ChannelChoice> Targets { get; private set; } = [];

    /// <summary>Text, so a tampered value gets the service's Chinese message rather than the binder's.</summary>
    [BindProperty]
    public string? TargetId { get; set; }

    public bool HasContent => Facts.Articles > 0 || Facts.Children > 0;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        ModelState.Clear();
        int? target = string.IsNullOrWhiteSpace(TargetId) ? null
            : int.TryParse(TargetId, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1;
        var result = await channels.DeleteAsync(id, target, ct);
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            // One select on the page: its message belongs at the top of the form, next to the consequences.
            ModelState.AddErrors(result, prefix: null);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Channels/Index")!);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } channel)
        {
            return false;
        }
        Channel = channel;
        Facts = await channels.DeletionFactsAsync(channel, ct);
        Targets = await ChannelForm.ChoicesAsync(db, ct, excludeSubtreeOf: id);
        ViewData["Title"] = $"删除栏目：{channel.Name}";
        ViewData["AdminSection"] = "channels";
        return true;
    }
}
