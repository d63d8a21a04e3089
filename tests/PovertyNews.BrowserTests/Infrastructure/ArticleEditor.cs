using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>The article editor's body, visual or as Markdown text.</summary>
public static class ArticleEditor
{
    /// <summary>
    /// Waits for editor.js to have run on a page just loaded (its deferred scripts run after the markup is there, and
    /// the visual editor's bundle comes first): until then typing reaches no listener. editor.js sets everything up in
    /// one synchronous run that adds the 字数 line, so once that line is seen every listener is in place.
    /// </summary>
    public static async Task ReadyAsync(IPage page) => await Expect(page.Locator("#editor-count")).ToBeAttachedAsync();

    /// <summary>The visual editor (TipTap's contenteditable), once it has started.</summary>
    public static async Task<ILocator> VisualAsync(IPage page)
    {
        var visual = page.Locator(".visual-editor [contenteditable=true]");
        await Expect(visual).ToBeVisibleAsync();
        return visual;
    }

    /// <summary>Switches the body to its Markdown text (源码) and returns the textarea, which the form posts.</summary>
    public static async Task<ILocator> MarkdownAsync(IPage page)
    {
        var mode = page.Locator(".editor-toolbar [data-mode]");
        await Expect(mode).ToBeVisibleAsync(); // editor.js has run
        if (await mode.GetAttributeAsync("aria-pressed") != "true")
        {
            await mode.ClickAsync();
        }
        var body = page.Locator("textarea#Input_Body");
        await Expect(body).ToBeVisibleAsync();
        return body;
    }

    /// <summary>What the form will post as the body (the textarea the visual editor writes).</summary>
    public static ILocator PostedBody(IPage page) => page.Locator("textarea#Input_Body");
}
