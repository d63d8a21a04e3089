using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>图集 in a real browser: the reader's viewer (swipe, buttons, keys), without JavaScript a list; the editor's panel.</summary>
public sealed class GalleryBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Slug = "gallery-xiangxi-visit";

    private async Task<IPage> OpenGalleryAsync(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        await page.GotoAsync(await portal.ArticleUrlAsync(Slug));
        await Expect(page.Locator("[data-gallery][data-ready=true]")).ToBeAttachedAsync();
        return page;
    }

    private static ILocator Counter(IPage page) => page.Locator("[data-gallery-counter]");

    [Fact]
    public async Task Phone_SwipingTheStripShowsTheNextPictureAndCounts()
    {
        var page = await OpenGalleryAsync(Screen.Phone);
        var track = page.Locator("[data-gallery-track]");
        await track.ScrollIntoViewIfNeededAsync();
        await Expect(Counter(page)).ToHaveTextAsync("1/7");
        // The picture takes the phone's whole width.
        var box = (await track.BoundingBoxAsync())!;
        Assert.Equal((0, 360), ((int)box.X, (int)box.Width));

        // A finger's swipe to the left, as the phone's touch screen sends it.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var y = (int)(box.Y + box.Height / 3);
        async Task TouchAsync(string type, int x) => await cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
        });
        await TouchAsync("touchStart", 300);
        for (var x = 280; x >= 100; x -= 20)
        {
            await TouchAsync("touchMove", x);
        }
        await TouchAsync("touchEnd", 100);

        await Expect(Counter(page)).ToHaveTextAsync("2/7");
        await Expect(page.Locator("[data-gallery-status]")).ToHaveTextAsync("第2张，共7张");
        // Snapped: the second picture fills the strip.
        await page.WaitForFunctionAsync("() => { const t = document.querySelector('[data-gallery-track]'); return Math.abs(t.scrollLeft - t.clientWidth) < 2; }");
        await Expect(page.Locator("[data-gallery-slide]").Nth(1).Locator("figcaption")).ToBeInViewportAsync();
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, Screen.Phone.Name("gallery"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Desktop_NextButtonAndArrowKeysMoveThroughThePictures()
    {
        var page = await OpenGalleryAsync(Screen.Desktop);
        var next = page.GetByRole(AriaRole.Button, new() { Name = "下一张" });
        var prev = page.GetByRole(AriaRole.Button, new() { Name = "上一张" });
        await Expect(prev).ToHaveAttributeAsync("aria-disabled", "true");
        await Screenshots.SaveAsync(page, Screen.Desktop.Name("gallery"), firstScreen: true);

        await next.ClickAsync();
        await Expect(Counter(page)).ToHaveTextAsync("2/7");
        await Expect(prev).ToHaveAttributeAsync("aria-disabled", "false");

        // The keys work wherever the focus is in the gallery: on the button, and on the strip itself.
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(Counter(page)).ToHaveTextAsync("3/7");
        await page.Locator("[data-gallery-track]").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(Counter(page)).ToHaveTextAsync("4/7");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(Counter(page)).ToHaveTextAsync("3/7");
        await page.WaitForFunctionAsync("() => { const t = document.querySelector('[data-gallery-track]'); return Math.abs(t.scrollLeft - 2 * t.clientWidth) < 2; }");
        await Expect(page.Locator("[data-gallery-slide]").Nth(2).Locator("figcaption")).ToContainTextAsync("周生堂");
        await page.Keyboard.PressAsync("End");
        await Expect(Counter(page)).ToHaveTextAsync("7/7");
        await Expect(next).ToHaveAttributeAsync("aria-disabled", "true");
        await page.Keyboard.PressAsync("ArrowRight"); // the last picture: nothing further
        await Expect(Counter(page)).ToHaveTextAsync("7/7");
        await page.Keyboard.PressAsync("Home");
        await Expect(Counter(page)).ToHaveTextAsync("1/7");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithoutJavaScript_TheGalleryIsAListOfFiguresWithCaptions()
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            JavaScriptEnabled = false,
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(await portal.ArticleUrlAsync(Slug));

        var slides = page.Locator("[data-gallery-slide]");
        await Expect(slides).ToHaveCountAsync(7);
        await Expect(page.Locator("[data-gallery-controls]")).ToBeHiddenAsync();
        await Expect(page.Locator(".gallery--viewer")).ToHaveCountAsync(0);
        var first = (await slides.Nth(0).BoundingBoxAsync())!;
        var second = (await slides.Nth(1).BoundingBoxAsync())!;
        Assert.True(second.Y >= first.Y + first.Height, "the pictures follow one another down the page");
        Assert.Equal(first.X, second.X);
        await Expect(slides.Nth(6).Locator("figcaption")).ToContainTextAsync("高层联席会议");
        // No axe here: axe-core is a script, and this page runs none (the other tests check the same markup with it).
        await Screenshots.SaveAsync(page, "gallery-nojs-360");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Editor_GalleryPanelReordersAndWritesTheBody()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter, Screen.Phone);
        await page.GotoAsync("/admin/articles/new");
        await ArticleEditor.ReadyAsync(page);
        var panel = page.Locator("[data-gallery-editor]");
        await Expect(panel).ToBeHiddenAsync();

        await page.GetByLabel("类型").SelectOptionAsync(new SelectOptionValue { Label = "图集" });
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel).ToContainTextAsync("还没有图片");
        var body = await ArticleEditor.MarkdownAsync(page);
        await body.FillAsync("导语。\n\n![梯田](/images/samples/shibadong.svg)\n\n十八洞村。\n\n![](/images/samples/kiwi.svg)\n");
        await Expect(panel.Locator(".gallery-editor__item")).ToHaveCountAsync(2);
        await Expect(panel.GetByLabel("替代文字（必填）").Nth(1)).ToHaveAttributeAsync("aria-invalid", "true");

        await panel.GetByLabel("替代文字（必填）").Nth(1).FillAsync("猕猴桃");
        await panel.GetByRole(AriaRole.Button, new() { Name = "下移第 1 张" }).ClickAsync();

        await Expect(body).ToHaveValueAsync("导语。\n\n![猕猴桃](/images/samples/kiwi.svg)\n\n![梯田](/images/samples/shibadong.svg)\n\n十八洞村。\n");
        // The focus stays with the picture that moved, on the button that can still move it.
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "上移第 2 张" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(body).ToHaveValueAsync("导语。\n\n![梯田](/images/samples/shibadong.svg)\n\n十八洞村。\n\n![猕猴桃](/images/samples/kiwi.svg)\n");
        await panel.GetByRole(AriaRole.Button, new() { Name = "删除第 2 张" }).ClickAsync();
        await Expect(body).ToHaveValueAsync("导语。\n\n![梯田](/images/samples/shibadong.svg)\n\n十八洞村。\n");
        await Expect(panel.Locator(".gallery-editor__item")).ToHaveCountAsync(1);
        await panel.GetByLabel("图片说明").FillAsync("花垣县十八洞村。");
        await Expect(body).ToHaveValueAsync("导语。\n\n![梯田](/images/samples/shibadong.svg)\n\n花垣县十八洞村。\n");
        await panel.ScrollIntoViewIfNeededAsync();
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "editor-gallery-360");
        await page.Context.CloseAsync();
    }
}
