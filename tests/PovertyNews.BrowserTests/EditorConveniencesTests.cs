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
        await Expect(page.Locator(".form-errors li")).ToHaveTextAsync("请填写标题。");

        await title.FillAsync("快捷键保存的稿件");
        await Expect(titleMessage).ToHaveTextAsync("");
        await Expect(page.Locator(".form-errors")).ToHaveCountAsync(0);

        await body.FillAsync("## 小标题\n\n**扶贫**协作 2020，[链接](https://example.com/很长的地址)");
        await Expect(page.Locator("#editor-count")).ToHaveTextAsync("正文 14 字（其中汉字 9 个）");

        await Screenshots.SaveAsync(page, "editor-1280", firstScreen: true);
        await body.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(title).ToHaveValueAsync("快捷键保存的稿件");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Screen.Desktop)]
    [InlineData(Screen.Phone)]
    public async Task TitleAndBody_ComeFirst_TheOtherFieldsBesideOrBelow(Screen screen)
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter, screen);
        await page.GotoAsync("/admin/articles/new");

        var title = await page.GetByLabel("标题", new() { Exact = true }).BoundingBoxAsync();
        var body = await page.GetByLabel("正文（Markdown）").BoundingBoxAsync();
        var channel = await page.GetByLabel("栏目").BoundingBoxAsync();

        // The body starts within the first screen, right under the title.
        Assert.True(body!.Y < 600, $"the body starts {body.Y} px down");
        Assert.True(body.Y > title!.Y);
        if (screen == Screen.Desktop)
        {
            Assert.True(channel!.X > body.X + body.Width, "the channel field is in the panel beside the body");
        }
        else
        {
            Assert.True(channel!.Y > body.Y + body.Height, "on a phone the panel follows the body");
        }
        await Screenshots.SaveAsync(page, screen.Name("editor-layout"), firstScreen: true);
        await page.Context.CloseAsync();
    }
}
