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
/// The channel tree with article counts; reorder and hide/show are small forms on each row (plain posts, no script),
/// the rest has its own page.
/// </summary>
[Authorize(Policy = AccessPolicies.ChannelManagers)]
public class IndexModel(NewsDbContext db, ChannelService channels) : PageModel
{
    public sealed record Row(int Id, string Name, string Slug, int Level, bool IsHidden, int OwnArticles, int AllArticles,
        bool IsFirst, bool IsLast);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "栏目";
        ViewData["AdminSection"] = "channels";
        var list = await db.Channels.AsNoTracking()
            .Select(c => new { c.Id, c.Name, c.Slug, c.ParentId, c.SortOrder, c.IsHidden }).ToListAsync(ct);
        // Every article counts (drafts too): these are what a move or a deletion has to take care of.
        var counts = await db.Articles.GroupBy(a => a.ChannelId)
            .Select(g => new { ChannelId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ChannelId, x => x.Count, ct);
        var hierarchy = new ChannelHierarchy(list.Select(c => (c.Id, c.ParentId)));
        var siblings = list.ToLookup(c => c.ParentId);
        Rows = ChannelHierarchy.Flatten(list, c => c.Id, c => c.ParentId, c => c.SortOrder)
            .Select(x =>
            {
                var (c, level) = x;
                var order = siblings[c.ParentId].OrderBy(s => s.SortOrder).ThenBy(s => s.Id).ToList();
                return new Row(c.Id, c.Name, c.Slug, level, c.IsHidden, counts.GetValueOrDefault(c.Id),
                    hierarchy.Subtree(c.Id).Sum(id => counts.GetValueOrDefault(id)), order[0].Id == c.Id, order[^1].Id == c.Id);
            })
            .ToList();
    }

    public Task<IActionResult> OnPostUpAsync(int id, CancellationToken ct) => RunAsync(channels.ReorderAsync(id, up: true, ct));

    public Task<IActionResult> OnPostDownAsync(int id, CancellationToken ct) => RunAsync(channels.ReorderAsync(id, up: false, ct));

    public Task<IActionResult> OnPostHideAsync(int id, CancellationToken ct) => RunAsync(channels.SetHiddenAsync(id, hidden: true, ct));

    public Task<IActionResult> OnPostShowAsync(int id, CancellationToken ct) => RunAsync(channels.SetHiddenAsync(id, hidden: false, ct));

    private async Task<IActionResult> RunAsync(Task<Result> change)
    {
        var result = await change;
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        // These forms sit on every row of the list, so a refusal is told the way a success is.
        TempData[ResultExtensions.FlashKey] = result.Messages.FirstOrDefault();
        return Redirect(Url.Page("/Admin/Channels/Index")!);
    }
}
