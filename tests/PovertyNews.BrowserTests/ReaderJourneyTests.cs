using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>A reader's way through the portal in a real browser, on a phone and on a desktop screen.</summary>
public sealed class ReaderJourneyTests(ReaderJourneyTests.Fixture portal) : IClassFixture<ReaderJourneyTests.Fixture>
{
    /// <summary>The sample content with a few older reports in 特色小镇, which then fills two listing pages.</summary>
    public sealed class Fixture : PortalFixture
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await App.AddOlderArticlesAsync("xiaozhen", 4);
        }
    }

    private const string LeadTitle = "济南市党政代表团赴湘西考察扶贫协作并出席高层联席会议";

    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task Reader_OpensLeadStory_FollowsRelated_PagesChannel_SearchesAndOpensHit(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);

        // Front page: the Jinan report is the headline.
        await page.GotoAsync("/");
        await Expect(page).ToHaveTitleAsync(new Regex("扶贫"));
        var headline = page.Locator(".headline__title a");
        await Expect(headline).ToHaveTextAsync(LeadTitle);
        await Expect(page.Locator(".latest .article-list__item").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, screen.Name("front"), firstScreen: true);

        // The lead story, with the parts of a Chinese news page.
        await headline.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/articles/\d+"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(LeadTitle);
        await Expect(page.Locator(".article__meta")).ToContainTextAsync("来源");
        await Expect(page.Locator(".article__body")).ToContainTextAsync("14668");
        await Expect(page.Locator(".article__body")).ToContainTextAsync("十八洞村");
        await Screenshots.SaveAsync(page, screen.Name("article"), firstScreen: true);

        // 延伸阅读 leads to another report.
        var related = page.Locator(".related__list a").First;
        await Expect(related).ToBeVisibleAsync();
        var relatedTitle = (await related.TextContentAsync())!.Trim();
        await related.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(relatedTitle);
        Assert.NotEqual(LeadTitle, relatedTitle);

        // A channel from the navigation (on a phone it may sit behind a scroll; the link is the same), paged forward.
        await page.Locator(".site-nav a", new() { HasText = "特色小镇" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/channels/xiaozhen$"));
        await Expect(page.Locator("h1")).ToContainTextAsync("特色小镇");
        await Expect(page.Locator(".article-list__item")).ToHaveCountAsync(PortalApp.PageSize);
        var firstPageTitles = await page.Locator(".article-list__title").AllTextContentsAsync();
        await Expect(page.Locator(".pager")).ToContainTextAsync("第 1 页");
        await Screenshots.SaveAsync(page, screen.Name("channel"));
        await page.Locator(".pager a[rel=next]").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/channels/xiaozhen\?page=2$"));
        await Expect(page.Locator(".pager")).ToContainTextAsync("第 2 页");
        var secondPageTitles = await page.Locator(".article-list__title").AllTextContentsAsync();
        Assert.NotEmpty(secondPageTitles);
        Assert.Empty(secondPageTitles.Intersect(firstPageTitles));
        await page.Locator(".pager a[rel=prev]").ClickAsync();
        await Expect(page.Locator(".pager")).ToContainTextAsync("第 1 页");

        // Search from the header box, then open a hit.
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "搜索新闻" });
        await box.FillAsync("十八洞村");
        await box.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex(@"/search\?q="));
        await Expect(page.Locator(".search-count")).ToContainTextAsync("十八洞村");
        var hits = page.Locator(".search-result__title a");
        await Expect(hits.First).ToBeVisibleAsync();
        Assert.True(await hits.CountAsync() >= 3, "the sample content mentions 十八洞村 in several reports");
        await Expect(page.Locator(".search-results mark").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, screen.Name("search"));
        var hitTitle = (await hits.First.TextContentAsync())!.Trim();
        await hits.First.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/articles/\d+"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(hitTitle);
        await Expect(page.Locator("main")).ToContainTextAsync("十八洞");

        await page.Context.CloseAsync();
    }
}
