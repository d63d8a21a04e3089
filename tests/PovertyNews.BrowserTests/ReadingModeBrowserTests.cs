using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// 适老化阅读 in a real browser: the switch in the header is used as a reader would, with and without JavaScript; each
/// mode keeps axe-core at no serious finding and the page inside the screen. Saves the README's screenshots
/// article-large-360 and article-large-1280 (the largest type step) and article-contrast-360.
/// </summary>
public sealed class ReadingModeBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Slug = "jinan-xiangxi-delegation";

    private static async Task<bool> FitsTheScreenAsync(IPage page) =>
        await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");

    private static Task<float> BodyFontSizeAsync(IPage page) =>
        page.EvaluateAsync<float>("parseFloat(getComputedStyle(document.querySelector('.article__body p')).fontSize)");

    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task LargestType_ChosenInTheHeader_ScalesTheArticle_StaysOnTheSamePage_AndIsRemembered(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        var url = await portal.ArticleUrlAsync(Slug);
        await page.GotoAsync(url);
        var standard = await BodyFontSizeAsync(page);

        await page.Locator(".reading-mode summary").ClickAsync();
        await page.Locator(".reading-mode").GetByRole(AriaRole.Link, new() { Name = "特大" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(url) + "$"));
        await Expect(page.Locator("html")).ToHaveClassAsync("mode-size-3");
        Assert.Equal(standard * 1.5f, await BodyFontSizeAsync(page), 0.5f);
        Assert.True(await FitsTheScreenAsync(page), "the page scrolls sideways in the largest type");
        await Expect(page.Locator(".reading-mode__choice[aria-current=true]").First).ToHaveTextAsync("特大");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, screen.Name("article-large"), firstScreen: true);

        // Remembered: another page of the site opens in the same mode.
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveClassAsync("mode-size-3");
        Assert.True(await FitsTheScreenAsync(page), "the front page scrolls sideways in the largest type");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HighContrastAndWideSpacing_ChosenWithoutJavaScript_HaveNoSeriousAxeFinding_AndResetGoesBack()
    {
        // Chosen with scripts off: <details> opens natively and each choice is a plain link.
        var noScript = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            JavaScriptEnabled = false,
        });
        var page = await noScript.NewPageAsync();
        var url = await portal.ArticleUrlAsync(Slug);
        await page.GotoAsync(url);
        await page.Locator(".reading-mode summary").ClickAsync();
        await page.Locator(".reading-mode").GetByRole(AriaRole.Link, new() { Name = "高对比度" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveClassAsync("mode-contrast");
        // The summary says the mode is on; the next choice is one tap away.
        await Expect(page.Locator(".reading-mode summary")).ToHaveTextAsync("适老化阅读设置：高对比度");
        await page.Locator(".reading-mode summary").ClickAsync();
        await page.Locator(".reading-mode").GetByRole(AriaRole.Link, new() { Name = "加宽" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(url) + "$"));
        await Expect(page.Locator("html")).ToHaveClassAsync("mode-contrast mode-spacing");

        // axe-core is a script: the same reader's cookie in a page with scripts on.
        var checking = await portal.NewPageAsync(Screen.Phone);
        await checking.Context.AddCookiesAsync((await noScript.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, SameSite = c.SameSite,
        }));
        await checking.GotoAsync(url);
        await Expect(checking.Locator("html")).ToHaveClassAsync("mode-contrast mode-spacing");
        Assert.Equal("rgb(0, 0, 0)", await checking.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.True(await FitsTheScreenAsync(checking), "the page scrolls sideways in high contrast with wide spacing");
        await Axe.AssertNoSeriousViolationsAsync(checking);
        await Screenshots.SaveAsync(checking, "article-contrast-360", firstScreen: true);
        await checking.Context.CloseAsync();

        await page.Locator(".reading-mode summary").ClickAsync();
        await page.Locator(".reading-mode").GetByRole(AriaRole.Link, new() { Name = "恢复默认" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(url) + "$"));
        await Expect(page.Locator("html")).Not.ToHaveAttributeAsync("class", new Regex("."));
        await noScript.CloseAsync();
    }
}
