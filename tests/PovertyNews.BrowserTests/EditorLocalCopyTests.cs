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
        // Chromium shows its error page for the failed post; going on before it has would be cut short by it.
        await page.WaitForURLAsync(url => url.StartsWith("chrome-error:", StringComparison.Ordinal));

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

    [Fact]
    public async Task CopyOfAVisuallyWrittenBody_IsRestoredIntoTheVisualEditor()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        await page.GetByLabel("标题", new() { Exact = true }).FillAsync("可视编辑时断网的稿件");
        var editor = await ArticleEditor.VisualAsync(page);
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.InsertTextAsync("加粗的开头");
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.InsertTextAsync("，后面是普通文字。");

        // The copy is written a second after the last change; the next visit offers it. On a busy machine the title
        // alone can be copied first (a second passes before the body is typed), so wait for the copy with the body.
        await page.WaitForFunctionAsync("""
            () => {
                const copy = JSON.parse(localStorage.getItem('povertynews:editor:/admin/articles/new') ?? 'null');
                return copy !== null && [...new URLSearchParams(copy.text).values()].some(v => v.includes('后面是普通文字'));
            }
            """);
        await page.GotoAsync("/admin/articles/new");
        var notice = page.Locator(".editor-local-copy");
        await Expect(notice).ToContainTextAsync("可能没有保存到服务器");
        editor = await ArticleEditor.VisualAsync(page);
        await Expect(editor).Not.ToContainTextAsync("加粗的开头");
        await notice.GetByRole(AriaRole.Button, new() { Name = "恢复副本" }).ClickAsync();

        await Expect(editor.Locator("strong")).ToHaveTextAsync("加粗的开头");
        await Expect(editor).ToContainTextAsync("，后面是普通文字。");
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync("**加粗的开头**，后面是普通文字。");
        await page.Context.CloseAsync();
    }
}
