namespace PovertyNews.Web.Domain;

/// <summary>
/// The channel tree as parent links, and the rules for changing it: a channel never moves under itself or anything
/// below it (the tree would become a loop that no page could walk), and the tree stays at most
/// <see cref="MaxDepth"/> levels deep.
/// </summary>
public sealed class ChannelHierarchy
{
    /// <summary>Top-level channels are level 1. Breadcrumbs, facets and menus all stay readable at this depth.</summary>
    public const int MaxDepth = 4;

    private readonly Dictionary<int, int?> _parents;
    private readonly ILookup<int?, int> _children;

    public ChannelHierarchy(IEnumerable<(int Id, int? ParentId)> channels)
    {
        _parents = channels.ToDictionary(c => c.Id, c => c.ParentId);
        _children = _parents.ToLookup(p => p.Value, p => p.Key);
    }

    public bool Contains(int id) => _parents.ContainsKey(id);

    public int? ParentOf(int id) => _parents.GetValueOrDefault(id);

    /// <summary>The channel and everything below it, the channel first.</summary>
    public IReadOnlyList<int> Subtree(int id)
    {
        var ids = new List<int> { id };
        var seen = new HashSet<int> { id };
        for (var i = 0; i < ids.Count; i++)
        {
            // "seen" keeps a loop already in the data from running forever.
            ids.AddRange(_children[ids[i]].Where(seen.Add));
        }
        return ids;
    }

    /// <summary>True when <paramref name="candidate"/> is <paramref name="id"/> or lies below it.</summary>
    public bool IsInSubtree(int id, int candidate)
    {
        var seen = new HashSet<int>();
        for (int? current = candidate; current is { } c && seen.Add(c); current = ParentOf(c))
        {
            if (c == id)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Level of the channel: 1 at the top.</summary>
    public int Depth(int id)
    {
        var depth = 0;
        var seen = new HashSet<int>();
        for (int? current = id; current is { } c && seen.Add(c); current = ParentOf(c))
        {
            depth++;
        }
        return depth;
    }

    /// <summary>Levels from the channel down to its deepest descendant: 1 for a channel without sub-channels.</summary>
    public int Height(int id) => Height(id, []);

    private int Height(int id, HashSet<int> seen) =>
        seen.Add(id) ? 1 + _children[id].Select(child => Height(child, seen)).DefaultIfEmpty(0).Max() : 0;

    /// <summary>Why <paramref name="id"/> cannot move under <paramref name="newParent"/> (null: the top level); null when it can.</summary>
    public string? MoveProblem(int id, int? newParent)
    {
        if (newParent is not { } parent)
        {
            return null;
        }
        if (parent == id)
        {
            return "栏目不能移到自己下面。";
        }
        if (!Contains(parent))
        {
            return "所选的上级栏目不存在。";
        }
        if (IsInSubtree(id, parent))
        {
            return "栏目不能移到自己的子栏目下面：那样栏目树会形成循环。";
        }
        if (Depth(parent) + (Contains(id) ? Height(id) : 1) > MaxDepth)
        {
            return $"移动后栏目层级会超过 {MaxDepth} 层，请选择层级更高的上级栏目。";
        }
        return null;
    }

    /// <summary>Why a new channel cannot go under <paramref name="parent"/>; null when it can.</summary>
    public string? NewChannelProblem(int? parent) => parent is { } p && !Contains(p) ? "所选的上级栏目不存在。"
        : parent is { } q && Depth(q) + 1 > MaxDepth ? $"栏目层级不能超过 {MaxDepth} 层，请选择层级更高的上级栏目。"
        : null;

    /// <summary>
    /// Channels in tree order (depth first, siblings by <paramref name="sortOrder"/>), with their level from 0.
    /// Channels whose parent is missing count as top-level, and a loop in the data (which the rules above never make)
    /// is listed at the end, so nothing is ever left off.
    /// </summary>
    public static List<(T Item, int Level)> Flatten<T>(IReadOnlyList<T> items, Func<T, int> id, Func<T, int?> parentId,
        Func<T, int> sortOrder)
    {
        var ids = items.Select(id).ToHashSet();
        var children = items.ToLookup(i => parentId(i) is { } p && ids.Contains(p) ? p : (int?)null);
        var result = new List<(T, int)>(items.Count);
        var seen = new HashSet<int>();
        void Walk(int? parent, int level)
        {
            foreach (var item in children[parent].OrderBy(sortOrder).ThenBy(id))
            {
                if (seen.Add(id(item)))
                {
                    result.Add((item, level));
                    Walk(id(item), level + 1);
                }
            }
        }
        Walk(null, 0);
        foreach (var item in items.Where(i => !seen.Contains(id(i))).OrderBy(id))
        {
            seen.Add(id(item));
            result.Add((item, 0));
        }
        return result;
    }
}
