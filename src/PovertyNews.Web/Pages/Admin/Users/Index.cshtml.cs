using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Pages.Admin.Users;

/// <summary>The newsroom's accounts, for administrators.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, SignInThrottle throttle) : PageModel
{
    public sealed record UserRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles,
        bool IsDisabled, DateTime? LockedOutUntil, DateTime CreatedAt);

    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "用户";
        ViewData["AdminSection"] = "users";
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.IsDisabled, u.CreatedAt })
            .ToListAsync(ct);
        var roles = await UserRoles.ByUserAsync(db, ct);
        var rows = new List<UserRow>(users.Count);
        foreach (var u in users)
        {
            rows.Add(new UserRow(u.Id, u.Email ?? "", u.DisplayName, roles.TryGetValue(u.Id, out var r) ? r : [], u.IsDisabled,
                (await throttle.LockedUntilAsync(u.Email))?.UtcDateTime, u.CreatedAt));
        }
        Users = rows;
    }
}

/// <summary>What the user pages share: role names and role queries.</summary>
public static class UserRoles
{
    /// <summary>Stored role names per user id, in the order of <see cref="NewsRoles.All"/>.</summary>
    public static async Task<Dictionary<string, IReadOnlyList<string>>> ByUserAsync(NewsDbContext db, CancellationToken ct, string? userId = null)
    {
        var pairs = await db.UserRoles.AsNoTracking()
            .Where(ur => userId == null || ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<string>)NewsRoles.All.Where(role => g.Any(p => p.Name == role)).ToList());
    }

    public static string Display(IEnumerable<string> roles) => NewsRoles.Display(roles);
}
