using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Channels;

namespace PovertyNews.Web.Pages.Admin.Channels;

/// <summary>
/// Rename (name, slug), describe and move one channel. The form carries the channel's version: a save on top of
/// someone else's is refused, keeping the input, and a second save then overwrites knowingly.
/// </summary>
[Authorize(Policy = AccessPolicies.ChannelManagers)]
public class EditModel(NewsDbContext db, ChannelService channels) : PageModel, IChannelFormPage
{
    [BindProperty]
    public ChannelInput Input { get; set; } = new();

    public IReadOnlyList<ChannelChoice> Parents { get; private set; } = [];
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public int Articles { get; private set; }
    public IReadOnlyList<string> OldSlugs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return NotFound();
        }
        Input = ChannelInput.From(channel);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await channels.UpdateAsync(id, Input, ct);
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            if (result.Kind == ResultKind.Conflict)
            {
                Input.Version = result.Value.ToString();
            }
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Channels/Edit", new { id })!);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Name, c.Slug, Articles = c.Articles.Count, OldSlugs = c.OldSlugs.OrderBy(r => r.OldSlug).Select(r => r.OldSlug).ToList() })
            .SingleOrDefaultAsync(ct);
        if (channel is null)
        {
            return false;
        }
        (Name, Slug, Articles, OldSlugs) = (channel.Name, channel.Slug, channel.Articles, channel.OldSlugs);
        Parents = await ChannelForm.ChoicesAsync(db, ct, excludeSubtreeOf: id);
        ViewData["Title"] = $"栏目：{Name}";
        ViewData["AdminSection"] = "channels";
        return true;
    }
}
