using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// axe-core finds no accessibility problem on the reader's page types (none at all, as Lighthouse counts them) and no
/// serious or critical one in the newsroom, on both screens.
/// </summary>
public sealed class AccessibilityTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    public static TheoryData<string, Screen> ReaderPages()
    {
        var data = new TheoryData<string, Screen>();
        foreach (var screen in new[] { Screen.Phone, Screen.Desktop })
        {
            data.Add("/", screen);
            data.Add("/articles/jinan-xiangxi-delegation", screen);
            data.Add("/channels/tuopin", screen);
            data.Add("/search?q=十八洞村", screen);
            data.Add("/sitemap", screen);
            data.Add("/articles/gallery-xiangxi-visit", screen);
            data.Add("/topics/dongxibu-xiezuo", screen);
            data.Add("/videos", screen);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReaderPages))]
    public async Task ReaderPage_HasNoSeriousAxeViolations(string path, Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        if (path.StartsWith("/articles/", StringComparison.Ordinal))
        {
            path = await portal.ArticleUrlAsync(path["/articles/".Length..]);
        }
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);

        await Axe.AssertNoViolationsAsync(page);

        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task SignInPage_HasNoSeriousAxeViolations(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        await page.GotoAsync("/admin/signin");
        await Expect(page.Locator("h1")).ToHaveTextAsync("编辑部登录");

        await Axe.AssertNoSeriousViolationsAsync(page);

        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task ArticleEditor_HasNoSeriousAxeViolations(Screen screen)
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter, screen);
        await page.GotoAsync("/admin/articles/new");
        // With a body, so the live preview (rendered by the server) is part of what is checked.
        await (await ArticleEditor.MarkdownAsync(page)).FillAsync("## 小标题\n\n正文段落。\n\n| 项目 | 数值 |\n| --- | --- |\n| 人均年收入 | 14668元 |\n");
        await Expect(page.Locator("#editor-preview table")).ToBeVisibleAsync();
        // Back to the visual editor, with the table in it and the table's tools showing.
        await page.Locator(".editor-toolbar [data-mode]").ClickAsync();
        await (await ArticleEditor.VisualAsync(page)).Locator("td").First.ClickAsync();
        await Expect(page.Locator("[data-table-tools]")).ToBeVisibleAsync();

        await Axe.AssertNoSeriousViolationsAsync(page);

        await page.Context.CloseAsync();
    }
}
