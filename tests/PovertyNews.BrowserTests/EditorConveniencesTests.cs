using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>What a reporter working all day in the editor expects: Ctrl+S, a word count, and no stale error messages.</summary>
public sealed class EditorConveniencesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task StaleMessage_ClearsWhenTheFieldIsFixed_CountFollowsTheText_CtrlSSaves()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        var title = page.GetByLabel("标题", new() { Exact = true });
        var body = page.GetByLabel("正文（Markdown）");
        var titleMessage = page.Locator("[data-valmsg-for='Input.Title']");

        // Saved without a title: the server says so under the field.
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        await body.FillAsync("正文先写一句。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(titleMessage).ToHaveTextAsync("请填写标题。");

        await title.FillAsync("快捷键保存的稿件");
        await Expect(titleMessage).ToHaveTextAsync("");

        await body.FillAsync("## 小标题\n\n**扶贫**协作 2020，[链接](https://example.com/很长的地址)");
        await Expect(page.Locator("#editor-count")).ToHaveTextAsync("正文 14 字（其中汉字 9 个）");

        await body.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(title).ToHaveValueAsync("快捷键保存的稿件");
        await page.Context.CloseAsync();
    }
}
