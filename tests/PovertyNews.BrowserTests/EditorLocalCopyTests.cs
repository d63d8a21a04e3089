using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The editor's copy of the text in the browser (localStorage): a save that never reaches the server leaves it, the
/// next visit offers it back, and a save that went through removes it.
/// </summary>
public sealed class EditorLocalCopyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Title = "断网时写下的稿件";
    private const string Body = "这段正文在保存时服务器没有收到。\n\n第二段也要留在这台电脑上。";

    [Fact]
    public async Task SaveThatNeverReachedTheServer_IsOfferedBackOnTheNextVisit_AndGoneOnceSaved()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        await Expect(page.Locator(".editor-local-copy")).ToHaveCountAsync(0);
        await page.GetByLabel("标题", new() { Exact = true }).FillAsync(Title);
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        await (await ArticleEditor.MarkdownAsync(page)).FillAsync(Body);

        // The connection fails as the form is posted: the server never sees this save.
        await page.RouteAsync("**/admin/articles/new", route =>
            route.Request.Method == "POST" ? route.AbortAsync("connectionfailed") : route.ContinueAsync());
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.RequestFailed += (_, request) =>
        {
            if (request.Method == "POST")
            {
                failed.TrySetResult();
            }
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await failed.Task.WaitAsync(TimeSpan.FromMinutes(1)); // a guard against a hang, not a measurement
        await page.UnrouteAllAsync();

        await page.GotoAsync("/admin/articles/new");
        var notice = page.Locator(".editor-local-copy");
        await Expect(notice).ToContainTextAsync("可能没有保存到服务器");
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync("");
        await notice.GetByRole(AriaRole.Button, new() { Name = "恢复副本" }).ClickAsync();
        await Expect(page.GetByLabel("标题", new() { Exact = true })).ToHaveValueAsync(Title);
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(new Regex(Regex.Escape("第二段也要留在这台电脑上。")));
        await Expect(notice).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(new Regex(Regex.Escape("第二段也要留在这台电脑上。")));

        await page.GotoAsync("/admin/articles/new");
        await Expect(page.Locator("h1")).ToHaveTextAsync("写稿");
        await Expect(page.Locator(".editor-local-copy")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
