using PovertyNews.Web.Caching;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Caching;

public class PortalDiffTests
{
    private static ArticleCard Card(int id, string title = "标题") =>
        new(id, $"a-{id}", title, "摘要", new DateTime(2020, 6, 23, 1, 30, 0, DateTimeKind.Utc), 1, "东西部协作", "xiezuo",
            ArticleKind.Article, null, null);

    private static readonly ChannelLink Xiezuo = new(1, "xiezuo", "东西部协作", null, false, 1);

    private static PortalSnapshot Snapshot(Action<SiteSettings>? settings = null, string channelName = "东西部协作",
        IReadOnlyList<ArticleCard>? hotNews = null, IReadOnlyList<ArticleCard>? headlines = null,
        IReadOnlyDictionary<string, int>? oldSlugs = null, IReadOnlyList<TopicCard>? topics = null)
    {
        var site = new SiteSettings { SiteName = "扶贫新闻网", CopyrightNotice = "声明", CopyrightOwner = "本网" };
        settings?.Invoke(site);
        var channel = Xiezuo with { Name = channelName };
        return new PortalSnapshot(site, [channel], [], hotNews ?? [Card(1), Card(2)],
            new Sidebar("热点舆情", "yuqing", [Card(3)]), new Sidebar("特色小镇", null, []),
            new FrontPage(headlines ?? [Card(1)], [Card(2)], [new ChannelBlock(channel, [Card(2)])]),
            oldSlugs ?? new Dictionary<string, int>(), topics ?? [Topic(1, frontPage: true)]);
    }

    private static TopicCard Topic(int id, bool frontPage = false, string title = "东西部扶贫协作") =>
        new(id, $"topic-{id}", title, "导语", null, null, frontPage, 0, new DateTime(2020, 6, 23, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2020, 6, 23, 0, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void ATopicRenamed_EvictsTheTopicLists_FrontPageAndSitemaps_NotEveryPage()
    {
        var tags = PortalDiff.TagsFor(Snapshot(), Snapshot(topics: [Topic(1, frontPage: true, title: "新标题")]));

        Assert.Equal(new HashSet<string> { CacheTags.Topics, CacheTags.Front, CacheTags.Sitemaps }, tags);
    }

    [Fact]
    public void ATopicPublished_NotForTheFrontPage_StillEvictsOnlyTheTopicLists()
    {
        var tags = PortalDiff.TagsFor(Snapshot(), Snapshot(topics: [Topic(1, frontPage: true), Topic(2)]));

        Assert.DoesNotContain(CacheTags.Site, tags);
        Assert.Contains(CacheTags.Topics, tags);
    }

    [Fact]
    public void EqualSnapshots_EvictNothing_EvenWithANewSettingsVersion()
    {
        Assert.Empty(PortalDiff.TagsFor(Snapshot(), Snapshot(s => s.Version = Guid.NewGuid())));
    }

    [Fact]
    public void CopyrightNotice_EvictsArticlePagesOnly()
    {
        Assert.Equal([CacheTags.ArticleSettings], PortalDiff.TagsFor(Snapshot(), Snapshot(s => s.CopyrightNotice = "新的声明")));
    }

    [Fact]
    public void SiteName_EvictsEveryPageWithTheLayout()
    {
        Assert.Equal([CacheTags.Site], PortalDiff.TagsFor(Snapshot(), Snapshot(s => s.SiteName = "扶贫资讯网")));
    }

    [Fact]
    public void OldChannelSlugAlone_EvictsNothing_RedirectsAreNotCached()
    {
        Assert.Empty(PortalDiff.TagsFor(Snapshot(), Snapshot(oldSlugs: new Dictionary<string, int> { ["xiezuo-old"] = 1 })));
    }

    [Fact]
    public void HotNewsInADifferentOrder_EvictsTheSidebars()
    {
        Assert.Equal([CacheTags.Sidebars], PortalDiff.TagsFor(Snapshot(), Snapshot(hotNews: [Card(2), Card(1)])));
    }

    [Fact]
    public void RetitledArticleInTheSidebar_EvictsTheSidebars()
    {
        Assert.Contains(CacheTags.Sidebars, PortalDiff.TagsFor(Snapshot(), Snapshot(hotNews: [Card(1, "新标题"), Card(2)])));
    }

    [Fact]
    public void RenamedChannel_EvictsTheNavigationAndTheFrontPageBlocks()
    {
        Assert.Equal([CacheTags.Front, CacheTags.Navigation], PortalDiff.TagsFor(Snapshot(), Snapshot(channelName: "协作")).Order());
    }

    [Fact]
    public void NewHeadline_EvictsTheFrontPageOnly()
    {
        Assert.Equal([CacheTags.Front], PortalDiff.TagsFor(Snapshot(), Snapshot(headlines: [Card(2)])));
    }
}
