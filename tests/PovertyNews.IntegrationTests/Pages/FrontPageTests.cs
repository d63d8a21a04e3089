using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

public sealed class FrontPageTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    [Fact]
    public async Task FrontPage_LeadsWithTheJinanHeadline()
    {
        var page = await factory.CreateReader().GetPageAsync("/");

        var headline = page.QuerySelector(".headline__title a")!;
        Assert.Contains("jinan-xiangxi-delegation", headline.GetAttribute("href"));
        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.NotEmpty(page.QuerySelectorAll(".headline-more a"));
    }

    [Fact]
    public async Task FrontPage_HasABlockPerVisibleTopLevelChannelWithItems_ButNoneTheSidebarsAlreadyList()
    {
        var page = await factory.CreateReader().GetPageAsync("/");

        // 热点舆情 and 特色小镇 feed the sidebars beside the blocks: listed there, not twice.
        Assert.NotNull(page.QuerySelector("#sb-opinion"));
        Assert.NotNull(page.QuerySelector("#sb-towns"));
        var blocks = page.QuerySelectorAll(".channel-block");
        Assert.Equal(["东西部协作", "脱贫攻坚", "视频"],
            blocks.Select(b => b.QuerySelector(".section-title").Text()).ToArray());
        Assert.All(blocks, b => Assert.NotEmpty(b.QuerySelectorAll(".channel-block__list a")));
    }

    [Fact]
    public async Task FrontPage_NeverShowsTheDraft()
    {
        var page = await factory.CreateReader().GetPageAsync("/");

        Assert.DoesNotContain(page.QuerySelectorAll("a"), a => a.GetAttribute("href")!.Contains("draft-"));
    }

    [Fact]
    public async Task Navigation_ListsTopLevelChannels()
    {
        var page = await factory.CreateReader().GetPageAsync("/");

        var nav = page.QuerySelectorAll(".site-nav a").Select(a => a.Text()).ToList();
        Assert.Equal("首页", nav[0]);
        Assert.Contains("东西部协作", nav);
        Assert.DoesNotContain("产业扶贫", nav); // a sub-channel
    }
}
