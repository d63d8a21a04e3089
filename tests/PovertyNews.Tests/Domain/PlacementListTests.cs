using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

/// <summary>The rules of 头条, 热点新闻 pins and 热点视频 picks, as <see cref="PlacementList"/> applies them.</summary>
public class PlacementListTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);
    private static int _nextId;

    private static Article Published(ArticleKind kind = ArticleKind.Article)
    {
        var article = new Article { Id = Interlocked.Increment(ref _nextId), Slug = "a", Title = "标题", Kind = kind };
        article.Publish(Now.AddDays(-1));
        return article;
    }

    private static List<int> Order(PlacementList list) => list.Placements.Select(p => p.ArticleId).ToList();

    private static void Refused(Action action, string expected) =>
        Assert.Contains(expected, Assert.Throws<WorkflowException>(action).Message);

    [Fact]
    public void Place_AppendsByDefaultAndInsertsAtAGivenPosition()
    {
        var list = new PlacementList(CurationBlock.Headline, []);
        var (a, b, c) = (Published(), Published(), Published());

        list.Place(a, Now);
        list.Place(b, Now);
        list.Place(c, Now, position: 1);

        Assert.Equal([c.Id, a.Id, b.Id], Order(list));
        Assert.Equal([1, 2, 3], list.Placements.Select(p => p.Position));
    }

    [Fact]
    public void Place_BeyondTheEnd_GoesLast()
    {
        var list = new PlacementList(CurationBlock.Headline, []);
        var (a, b) = (Published(), Published());
        list.Place(a, Now);

        list.Place(b, Now, position: 99);

        Assert.Equal([a.Id, b.Id], Order(list));
    }

    [Theory]
    [InlineData(CurationBlock.Headline)]
    [InlineData(CurationBlock.HotNews)]
    [InlineData(CurationBlock.HotVideos)]
    public void DraftsAndWithdrawnArticles_AreRefusedInEveryBlock(CurationBlock block)
    {
        var list = new PlacementList(block, []);
        var draft = new Article { Id = 900, Slug = "d", Title = "草稿", Kind = ArticleKind.Video };
        var withdrawn = Published(ArticleKind.Video);
        withdrawn.Withdraw();

        Refused(() => list.Place(draft, Now), "只有已发布或定时发布的稿件");
        Refused(() => list.Place(withdrawn, Now), "已撤稿");
        Assert.Empty(list.Placements);
    }

    [Fact]
    public void ScheduledArticle_MayBeAHeadlineBeforeItsTime()
    {
        var list = new PlacementList(CurationBlock.Headline, []);
        var scheduled = new Article { Id = 901, Slug = "s", Title = "定时" };
        scheduled.Publish(Now, Now.AddHours(3));

        list.Place(scheduled, Now);

        Assert.Equal(ArticleStatus.Scheduled, scheduled.Status);
        Assert.Single(list.Placements);
    }

    [Fact]
    public void HotVideos_TakeOnlyVideos()
    {
        var list = new PlacementList(CurationBlock.HotVideos, []);

        Refused(() => list.Place(Published(), Now), "热点视频只能选择视频稿件。");
        list.Place(Published(ArticleKind.Video), Now);

        Assert.Single(list.Placements);
    }

    [Fact]
    public void Headlines_StopAtFive()
    {
        var list = new PlacementList(CurationBlock.Headline, []);
        for (var i = 0; i < 5; i++)
        {
            list.Place(Published(), Now);
        }

        Refused(() => list.Place(Published(), Now), "头条最多 5 条");
        Assert.Equal(5, list.Placements.Count);
    }

    [Fact]
    public void ExpiredPins_DoNotCountAgainstTheLimit()
    {
        var expired = Enumerable.Range(0, 10).Select(i => new Placement
            { Block = CurationBlock.HotNews, ArticleId = 1000 + i, Position = i + 1, Until = Now.AddMinutes(-1) });
        var list = new PlacementList(CurationBlock.HotNews, expired);

        list.Place(Published(), Now, until: Now.AddHours(1));

        Assert.Equal(11, list.Placements.Count);
    }

    [Fact]
    public void PinExpiry_MustLieAhead()
    {
        var list = new PlacementList(CurationBlock.HotNews, []);
        var article = Published();

        Refused(() => list.Place(article, Now, until: Now.AddMinutes(-5)), "到期时间须晚于现在");
        Refused(() => list.Place(article, Now, until: Now), "到期时间须晚于现在");
        list.Place(article, Now, until: Now.AddMinutes(1));

        Assert.Equal(Now.AddMinutes(1), list.Placements.Single().Until);
    }

    [Fact]
    public void OnlyPinsHaveAnExpiry()
    {
        var list = new PlacementList(CurationBlock.Headline, []);

        Refused(() => list.Place(Published(), Now, until: Now.AddDays(1)), "只有热点新闻置顶可以设置到期时间。");
    }

    [Fact]
    public void PinningAgain_RenewsTheExpiryAndMayMoveIt()
    {
        var list = new PlacementList(CurationBlock.HotNews, []);
        var (a, b) = (Published(), Published());
        list.Place(a, Now, until: Now.AddHours(1));
        list.Place(b, Now);

        var result = list.Place(a, Now, position: 2, until: Now.AddDays(2));

        Assert.True(result.Renewed);
        Assert.Equal([b.Id, a.Id], Order(list));
        Assert.Equal(Now.AddDays(2), result.Placement.Until);
    }

    [Theory]
    [InlineData(CurationBlock.Headline, "这篇稿件已经是头条。")]
    [InlineData(CurationBlock.HotVideos, "这篇稿件已在热点视频中。")]
    public void TheSameArticleTwice_IsRefused(CurationBlock block, string message)
    {
        var list = new PlacementList(block, []);
        var video = Published(ArticleKind.Video);
        list.Place(video, Now);

        Refused(() => list.Place(video, Now), message);
        Assert.Single(list.Placements);
    }

    [Fact]
    public void Move_SwapsWithTheNeighbourAndStopsAtTheEnds()
    {
        var list = new PlacementList(CurationBlock.Headline, []);
        var (a, b, c) = (Published(), Published(), Published());
        list.Place(a, Now);
        list.Place(b, Now);
        list.Place(c, Now);

        Assert.True(list.Move(c.Id, -1));
        Assert.Equal([a.Id, c.Id, b.Id], Order(list));
        Assert.False(list.Move(a.Id, -1));
        Assert.False(list.Move(b.Id, 1));
        Assert.Equal([1, 2, 3], list.Placements.Select(p => p.Position));
    }

    [Fact]
    public void Remove_ClosesTheGapAndRefusesAnArticleNotInTheBlock()
    {
        var list = new PlacementList(CurationBlock.HotNews, []);
        var (a, b) = (Published(), Published());
        list.Place(a, Now);
        list.Place(b, Now);

        var removed = list.Remove(a.Id);

        Assert.Same(a, removed.Article);
        Assert.Equal(1, list.Placements.Single().Position);
        Refused(() => list.Remove(a.Id), "这篇稿件不在热点新闻置顶中。");
    }

    [Fact]
    public void ExistingPlacements_AreTakenInTheirStoredOrder()
    {
        var stored = new[]
        {
            new Placement { Id = 1, Block = CurationBlock.Headline, ArticleId = 10, Position = 2 },
            new Placement { Id = 2, Block = CurationBlock.Headline, ArticleId = 11, Position = 1 },
            new Placement { Id = 3, Block = CurationBlock.HotNews, ArticleId = 12, Position = 1 },
        };

        var list = new PlacementList(CurationBlock.Headline, stored);

        Assert.Equal([11, 10], Order(list));
    }
}
