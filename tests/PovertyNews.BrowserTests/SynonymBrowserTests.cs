using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// 检索同义词 in a real browser: an administrator adds a group at 1280 px, the page and a reader's search that the
/// group widened fit a 360 px phone with no serious axe-core finding. Saves the README's screenshots synonyms-1280,
/// synonyms-360 and search-synonyms-360.
/// </summary>
public sealed class SynonymBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Administrator_AddsAGroup_AndReadersSeeWhatTheSearchIncluded()
    {
        var page = await portal.SignInAsync(PortalFixture.Admin);
        await page.GotoAsync("/admin/search/synonyms");
        await Expect(page.Locator("h1")).ToHaveTextAsync("检索同义词");
        await page.GetByLabel("新的同义词组").FillAsync("湘西 湘西州 湘西土家族苗族自治州");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("已添加同义词组“湘西 湘西州 湘西土家族苗族自治州”。");
        await page.GetByLabel("新的同义词组").FillAsync("十八洞村 十八洞");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加" }).ClickAsync();
        await Expect(page.Locator(".synonyms-table tbody tr")).ToHaveCountAsync(2);
        // A refusal: the message above the form, the list unchanged.
        await page.GetByLabel("新的同义词组").FillAsync("湘西州 自治州");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加" }).ClickAsync();
        await Expect(page.Locator("#synonym-errors")).ToContainTextAsync("“湘西州”已在同义词组");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "synonyms-1280", firstScreen: true);
        await page.Context.CloseAsync();

        var phone = await portal.SignInAsync(PortalFixture.Admin, Screen.Phone);
        await phone.GotoAsync("/admin/search/synonyms");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways");
        await Axe.AssertNoSeriousViolationsAsync(phone);
        await Screenshots.SaveAsync(phone, "synonyms-360", firstScreen: true);
        await phone.Context.CloseAsync();

        var reader = await portal.NewPageAsync(Screen.Phone);
        await reader.GotoAsync("/search?q=" + Uri.EscapeDataString("湘西州 十八洞"));
        await Expect(reader.Locator("#search-synonyms")).ToHaveTextAsync("已包含：湘西、湘西土家族苗族自治州、十八洞村");
        Assert.True(await reader.Locator(".search-result").CountAsync() > 0);
        Assert.True(await reader.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways");
        await Axe.AssertNoSeriousViolationsAsync(reader);
        await Screenshots.SaveAsync(reader, "search-synonyms-360", firstScreen: true);
        await reader.Context.CloseAsync();
    }
}
