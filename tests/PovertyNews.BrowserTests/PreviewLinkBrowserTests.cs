using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>整页预览 and 预览链接 as a reporter and an outsider use them: the draft as a reader will see it, shared by link
/// with someone who has no account, until the link is revoked or runs out.</summary>
public sealed class PreviewLinkBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task ShareLink_ShowsTheDraftToAnAnonymousBrowser_UntilRevokedOrExpired()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        await page.GetByLabel("标题", new() { Exact = true }).FillAsync("尚未发布的协作报道");
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        var editor = await ArticleEditor.VisualAsync(page);
        await editor.ClickAsync();
        await page.Keyboard.InsertTextAsync("两地签订协作协议，约定共建产业园。");
        await editor.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));

        // 整页预览: the reader's layout with the banner.
        await page.GetByRole(AriaRole.Link, new() { Name = "整页预览与预览链接" }).ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("预览，未发布");
        await Expect(page.Locator("article h1")).ToHaveTextAsync("尚未发布的协作报道");
        await Expect(page.Locator(".form-errors")).ToBeHiddenAsync(); // an empty error summary shows nothing
        await Screenshots.SaveAsync(page, "reader-preview-1280", firstScreen: true);

        // Two links: one to revoke, one to let expire.
        var share = page.Locator("#preview-links form", new() { HasText = "生成预览链接" });
        await share.GetByLabel("有效期").SelectOptionAsync("1");
        await share.GetByRole(AriaRole.Button, new() { Name = "生成预览链接" }).ClickAsync();
        await Expect(page.Locator(".preview-links__url")).ToHaveCountAsync(1);
        await share.GetByLabel("有效期").SelectOptionAsync("1");
        await share.GetByRole(AriaRole.Button, new() { Name = "生成预览链接" }).ClickAsync();
        await Expect(page.Locator(".preview-links__url")).ToHaveCountAsync(2);
        var first = await page.Locator(".preview-links__url").Nth(0).InputValueAsync();
        var second = await page.Locator(".preview-links__url").Nth(1).InputValueAsync();

        // Someone without an account opens one.
        var outsider = await portal.NewPageAsync();
        var response = await outsider.GotoAsync(new Uri(first).PathAndQuery);
        Assert.Equal(200, response!.Status);
        Assert.Contains("noindex", await response.HeaderValueAsync("x-robots-tag") ?? "", StringComparison.Ordinal);
        Assert.Contains("no-store", await response.HeaderValueAsync("cache-control") ?? "", StringComparison.Ordinal);
        await Expect(outsider.Locator("article h1")).ToHaveTextAsync("尚未发布的协作报道");
        await Expect(outsider.Locator("body")).ToContainTextAsync("两地签订协作协议");
        await Expect(outsider.Locator("body")).ToContainTextAsync("预览，未发布");

        // Revoked by the reporter: the outsider's next look finds it gone.
        var revoke = page.Locator(".preview-links__list li", new() { Has = page.Locator($"input[value='{first}']") });
        await revoke.GetByRole(AriaRole.Button, new() { Name = "撤销" }).ClickAsync();
        await Expect(page.Locator(".preview-links__list")).ToContainTextAsync("撤销");
        response = await outsider.GotoAsync(new Uri(first).PathAndQuery);
        Assert.Equal(410, response!.Status);
        await Expect(outsider.Locator("h1")).ToHaveTextAsync("预览链接已失效");
        await Expect(outsider.Locator("body")).Not.ToContainTextAsync("两地签订协作协议");

        // The other one runs out after its day.
        response = await outsider.GotoAsync(new Uri(second).PathAndQuery);
        Assert.Equal(200, response!.Status);
        portal.App.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        response = await outsider.GotoAsync(new Uri(second).PathAndQuery);
        Assert.Equal(410, response!.Status);
        await Expect(outsider.Locator("body")).ToContainTextAsync("过期");
        await Expect(outsider.Locator("body")).Not.ToContainTextAsync("两地签订协作协议");

        await outsider.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
