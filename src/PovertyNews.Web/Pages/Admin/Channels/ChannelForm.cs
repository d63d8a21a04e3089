using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Admin.Channels;

/// <summary>A channel in a select: its path ("脱贫攻坚 › 产业扶贫") in tree order.</summary>
public sealed record ChannelChoice(int Id, string Label);

/// <summary>What the channel pages share: the tree as choices.</summary>
public static class ChannelForm
{
    /// <summary>Every channel in tree order, leaving out <paramref name="excludeSubtreeOf"/> and everything below it.</summary>
    public static async Task<IReadOnlyList<ChannelChoice>> ChoicesAsync(NewsDbContext db, CancellationToken ct, int? excludeSubtreeOf = null)
    {
        var channels = await db.Channels.AsNoTracking()
            .Select(c => new { c.Id, c.Name, c.ParentId, c.SortOrder, c.IsHidden }).ToListAsync(ct);
        var hierarchy = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        var excluded = excludeSubtreeOf is { } root ? hierarchy.Subtree(root).ToHashSet() : [];
        var labels = new Dictionary<int, string>();
        var choices = new List<ChannelChoice>();
        foreach (var (c, _) in ChannelHierarchy.Flatten(channels, c => c.Id, c => c.ParentId, c => c.SortOrder))
        {
            var label = (c.ParentId is { } p && labels.TryGetValue(p, out var parent) ? parent + " › " : "") + c.Name;
            labels[c.Id] = label;
            if (!excluded.Contains(c.Id))
            {
                choices.Add(new(c.Id, c.IsHidden ? label + "（隐藏）" : label));
            }
        }
        return choices;
    }
}
