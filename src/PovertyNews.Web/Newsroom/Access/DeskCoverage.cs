using PovertyNews.Web.Common;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>The channels a person covers: the whole site, or the assigned channels with all their sub-channels.</summary>
public sealed record Coverage(bool SiteWide, IReadOnlySet<int> Channels)
{
    public static readonly Coverage Everywhere = new(true, new HashSet<int>());

    public bool Covers(int channelId) => SiteWide || Channels.Contains(channelId);

    /// <summary>Expands assigned channels to their subtrees; no assignment at all means the whole site.</summary>
    public static Coverage Of(IReadOnlyCollection<int> assigned, ChannelHierarchy tree) =>
        assigned.Count == 0 ? Everywhere : new(false, assigned.Where(tree.Contains).SelectMany(tree.Subtree).ToHashSet());
}

/// <summary>Where a person's desk coverage comes from; a seam for the handler's unit tests.</summary>
public interface IDeskCoverage
{
    Task<Coverage> ForAsync(string userId, CancellationToken ct = default);
}

/// <summary>
/// Reads coverage from the database, once per request and person. No process-wide cache on purpose: several web
/// nodes may share the database, and the read is one index seek on the assignments plus the small channel table.
/// </summary>
public sealed class DeskCoverageReader(NewsDbContext db) : IDeskCoverage
{
    private readonly Dictionary<string, Coverage> _memo = new(StringComparer.Ordinal);

    public async Task<Coverage> ForAsync(string userId, CancellationToken ct = default)
    {
        if (_memo.TryGetValue(userId, out var known))
        {
            return known;
        }
        var assigned = await db.DeskAssignments.AsNoTracking().Where(d => d.UserId == userId).Select(d => d.ChannelId).ToListAsync(ct);
        var coverage = Coverage.Everywhere;
        if (assigned.Count > 0)
        {
            // An anonymous type, not a tuple, in SQL: PostgreSQL would answer a tuple as one record column.
            var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(ct);
            var tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
            coverage = Coverage.Of(assigned, tree);
        }
        return _memo[userId] = coverage;
    }
}
