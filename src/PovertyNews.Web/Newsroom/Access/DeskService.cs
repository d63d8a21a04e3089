using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>
/// Sets the channels a person covers (责任栏目). Only people with a writing role have desks; an empty list means the
/// whole site. Every change is audited with the channels before and after.
/// </summary>
public sealed class DeskService(NewsDbContext db, AuditLog audit, ILogger<DeskService> logger)
{
    public const string SiteWide = "全站";

    public async Task<Result> SetAsync(string userId, IReadOnlyCollection<int>? channelIds, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return Result.NotFound("没有这个用户。");
        }
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        if (!DeskAssignment.AppliesTo(roles))
        {
            return Result.Refused("只有总编辑、编辑和记者有责任栏目。");
        }
        var wanted = (channelIds ?? []).Distinct().ToList();
        var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        if (wanted.Any(id => channels.All(c => c.Id != id)))
        {
            return Result.Refused("所选栏目不存在，请刷新页面后重试。");
        }
        // A channel below another chosen one adds nothing: keep the top ones, so the table and the audit stay short.
        var tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        wanted = wanted.Where(id => !wanted.Any(other => other != id && tree.IsInSubtree(other, id))).Order().ToList();

        var current = await db.DeskAssignments.Where(d => d.UserId == userId).ToListAsync(ct);
        if (current.Select(d => d.ChannelId).Order().SequenceEqual(wanted))
        {
            return Result.Unchanged("责任栏目没有变化。");
        }
        string Names(IEnumerable<int> ids) => ids.Any()
            ? string.Join("、", ids.Select(id => channels.First(c => c.Id == id).Name))
            : SiteWide;
        var before = Names(current.Select(d => d.ChannelId).Order());
        db.DeskAssignments.RemoveRange(current);
        db.DeskAssignments.AddRange(wanted.Select(id => new DeskAssignment { UserId = userId, ChannelId = id }));
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName;
        audit.Add(AuditActions.DeskChanged, $"user:{userId}", $"{name}：{before} → {Names(wanted)}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Desk of {UserId} set to {Channels}", userId, wanted);
        return Result.Done($"已保存{name}的责任栏目：{Names(wanted)}。");
    }
}
