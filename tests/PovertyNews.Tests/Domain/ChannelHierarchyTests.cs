using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

/// <summary>The tree rules of <see cref="ChannelHierarchy"/>: no cycles, bounded depth, tree order.</summary>
public class ChannelHierarchyTests
{
    // 1 东西部协作
    // 2 脱贫攻坚
    //   3 产业扶贫
    //     5 茶叶
    //   4 就业扶贫
    // 6 热点舆情
    private static readonly (int Id, int? ParentId)[] Tree = [(1, null), (2, null), (3, 2), (4, 2), (5, 3), (6, null)];

    private static readonly ChannelHierarchy Hierarchy = new(Tree);

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void MoveUnderItself_IsRefused(int id, int parent) =>
        Assert.Contains("自己下面", Hierarchy.MoveProblem(id, parent));

    [Theory]
    [InlineData(2, 3)] // under its child
    [InlineData(2, 5)] // under its grandchild
    [InlineData(3, 5)]
    public void MoveUnderADescendant_IsRefusedAsACycle(int id, int parent) =>
        Assert.Contains("循环", Hierarchy.MoveProblem(id, parent));

    [Theory]
    [InlineData(3, null)] // to the top
    [InlineData(3, 1)] // to another top-level channel
    [InlineData(4, 3)] // under a sibling
    [InlineData(5, 4)] // under a cousin
    [InlineData(1, 2)] // a top-level channel under another
    public void MoveElsewhere_IsAllowed(int id, int? parent) => Assert.Null(Hierarchy.MoveProblem(id, parent));

    [Fact]
    public void MoveUnderAMissingChannel_IsRefused() => Assert.Contains("不存在", Hierarchy.MoveProblem(3, 99));

    [Fact]
    public void MoveThatMakesTheTreeTooDeep_IsRefused()
    {
        // 10 › 11 › 12 › 13 is four levels; 2 › 3 › 5 is three. Under 12 it would reach five.
        var deep = new ChannelHierarchy([.. Tree, (10, null), (11, 10), (12, 11), (13, 12)]);

        Assert.Contains("层", deep.MoveProblem(2, 12));
        Assert.Null(deep.MoveProblem(3, 10)); // 10 › 3 › 5: three levels
        Assert.Contains("层", deep.NewChannelProblem(13));
        Assert.Null(deep.NewChannelProblem(12));
    }

    [Fact]
    public void SubtreeAndDepth_FollowTheParentLinks()
    {
        Assert.Equal([2, 3, 4, 5], Hierarchy.Subtree(2).Order());
        Assert.True(Hierarchy.IsInSubtree(2, 5));
        Assert.False(Hierarchy.IsInSubtree(3, 4));
        Assert.Equal(3, Hierarchy.Depth(5));
        Assert.Equal(3, Hierarchy.Height(2));
        Assert.Equal(1, Hierarchy.Height(6));
    }

    [Fact]
    public void LoopInTheData_DoesNotHang()
    {
        var broken = new ChannelHierarchy([(1, 2), (2, 1), (3, null)]);

        Assert.Equal([1, 2], broken.Subtree(1).Order());
        Assert.Equal(2, broken.Depth(1));
        Assert.Contains("循环", broken.MoveProblem(1, 2));
        var flat = ChannelHierarchy.Flatten(new[] { (Id: 1, Parent: (int?)2), (Id: 2, Parent: (int?)1), (Id: 3, Parent: (int?)null) },
            c => c.Id, c => c.Parent, c => 0);
        Assert.Equal([3, 1, 2], flat.Select(x => x.Item.Id));
    }

    [Fact]
    public void Flatten_ListsDepthFirstInSortOrderWithLevels()
    {
        var items = new[]
        {
            (Id: 1, Parent: (int?)null, Order: 1), (Id: 2, Parent: (int?)null, Order: 0), (Id: 3, Parent: (int?)2, Order: 1),
            (Id: 4, Parent: (int?)2, Order: 0), (Id: 5, Parent: (int?)3, Order: 0), (Id: 6, Parent: (int?)42, Order: 5),
        };

        var flat = ChannelHierarchy.Flatten(items, c => c.Id, c => c.Parent, c => c.Order);

        Assert.Equal([(2, 0), (4, 1), (3, 1), (5, 2), (1, 0), (6, 0)], flat.Select(x => (x.Item.Id, x.Level)));
    }
}
