using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Pages.Admin.Users;

namespace PovertyNews.Web.Pages.Admin.Desks;

/// <summary>
/// 责任栏目: who covers which channel, as a table of channels × people, and a form per person to set their channels.
/// People with no channel cover the whole site (全站).
/// </summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, DeskService desks) : PageModel
{
    public sealed record Person(string Id, string Name, string Email, IReadOnlyList<string> Roles, IReadOnlySet<int> Assigned)
    {
        public bool SiteWide => Assigned.Count == 0;
    }

    /// <summary>One person on a channel's row: assigned to it, or to a channel above it.</summary>
    public sealed record Cover(Person Person, bool Direct);

    public sealed record ChannelRow(int Id, string Name, int Depth, bool IsHidden, IReadOnlyList<Cover> People);

    /// <summary>The table's columns: the roles desks apply to, most senior first.</summary>
    public static readonly IReadOnlyList<string> Columns = DeskAssignment.Roles;

    public IReadOnlyList<Person> People { get; private set; } = [];
    public IReadOnlyList<ChannelRow> Rows { get; private set; } = [];

    /// <summary>The person whose form failed, so it opens again with the error.</summary>
    public string? FailedUserId { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string userId, List<int>? channels, CancellationToken ct)
    {
        var result = await desks.SetAsync(userId ?? "", channels ?? [], ct);
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/Desks/Index")! + "#person-" + userId);
        }
        ModelState.AddErrors(result, null);
        FailedUserId = userId;
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    /// <summary>People covering <paramref name="row"/> in one role: directly or through a parent channel; site-wide people are in the 全站 row.</summary>
    public static IEnumerable<Cover> InRole(ChannelRow row, string role) => row.People.Where(c => c.Person.Roles.Contains(role));

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "责任栏目";
        ViewData["AdminSection"] = "desks";
        var roles = await UserRoles.ByUserAsync(db, ct);
        var assignments = (await db.DeskAssignments.AsNoTracking().Select(d => new { d.UserId, d.ChannelId }).ToListAsync(ct))
            .ToLookup(d => d.UserId, d => d.ChannelId);
        var users = await db.Users.AsNoTracking().Where(u => !u.IsDisabled)
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        People = users
            .Select(u => new Person(u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? "" : u.DisplayName, u.Email ?? "",
                roles.TryGetValue(u.Id, out var r) ? [.. r.Where(DeskAssignment.Roles.Contains)] : [],
                assignments[u.Id].ToHashSet()))
            .Where(p => p.Roles.Count > 0)
            .OrderBy(p => DeskAssignment.Roles.ToList().IndexOf(p.Roles[0])).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

        var channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.ParentId, c.IsHidden }).ToListAsync(ct);
        var tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        var children = channels.ToLookup(c => c.ParentId is { } p && tree.Contains(p) ? p : (int?)null);
        var rows = new List<ChannelRow>();
        void Walk(int? parent, int depth)
        {
            foreach (var c in children[parent])
            {
                if (depth > ChannelHierarchy.MaxDepth + 1)
                {
                    return; // a loop in the data; the channel page reports it
                }
                var covers = People.Where(p => !p.SiteWide && p.Assigned.Any(a => tree.IsInSubtree(a, c.Id)))
                    .Select(p => new Cover(p, p.Assigned.Contains(c.Id))).ToList();
                rows.Add(new ChannelRow(c.Id, c.Name, depth, c.IsHidden, covers));
                Walk(c.Id, depth + 1);
            }
        }
        Walk(null, 0);
        Rows = rows;
    }
}
