using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The sample 专题 (/topics/dongxibu-xiezuo) in a real browser on a 360 px phone and a 1280 px desktop: the banner
/// keeps its shape inside the page, nothing scrolls sideways, and axe-core finds nothing serious. Saves the README's
/// screenshots topic-360 and topic-1280; and the newsroom's topic page on a phone (topic-admin-360).
/// </summary>
public sealed class TopicBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task SampleTopic_FitsTheScreen_WithItsBanner_SectionsAndTimeline(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        await page.GotoAsync("/topics/dongxibu-xiezuo");

        await Expect(page.Locator("h1")).ToHaveTextAsync("东西部扶贫协作");
        await Expect(page.Locator(".topic-section")).ToHaveCountAsync(4);
        await Expect(page.Locator(".timeline__entry")).ToHaveCountAsync(3);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        // The banner is as wide as the article column and keeps a wide shape, not a squashed or towering one.
        var banner = await page.Locator(".topic__banner").BoundingBoxAsync();
        var main = await page.Locator("main").BoundingBoxAsync();
        Assert.True(banner!.Width >= main!.Width - 1 && banner.Width / banner.Height is >= 1.9f and <= 2.8f,
            $"the banner is {banner.Width}×{banner.Height} in a {main.Width} px column");
        Assert.True(await page.Locator(".topic__banner").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the banner did not load");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, screen.Name("topic"), firstScreen: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Newsroom_TopicPage_FitsAPhone()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor, Screen.Phone);
        await page.GotoAsync("/admin/topics");
        await page.GetByRole(AriaRole.Link, new() { Name = "东西部扶贫协作" }).ClickAsync();
        await Expect(page.Locator("#topic-sections li")).ToHaveCountAsync(4);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "topic-admin-360", firstScreen: true);
        await page.Context.CloseAsync();
    }
}
