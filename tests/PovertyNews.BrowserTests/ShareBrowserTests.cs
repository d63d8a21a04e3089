using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The article's QR code (扫一扫在手机上阅读): shown beside the article on a desktop screen and on paper, folded behind
/// 二维码 on a phone, where the page already is on the phone.
/// </summary>
public sealed class ShareBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Desktop_ShowsTheQrCode_WithoutAFold()
    {
        var page = await portal.NewPageAsync(Screen.Desktop);
        await page.GotoAsync(await portal.ArticleUrlAsync("jinan-xiangxi-delegation"));

        var code = page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^本文二维码") });
        await Expect(code).ToBeVisibleAsync();
        await Expect(page.Locator(".share-qr summary")).ToBeHiddenAsync();
        await Expect(page.Locator(".share-qr figcaption")).ToHaveTextAsync("扫一扫在手机上阅读");
        var box = (await code.BoundingBoxAsync())!;
        Assert.InRange(box.Width, 100, 130);
        Assert.Equal(box.Width, box.Height, 1);
        await WaitUntilDrawn(page);
    }

    /// <summary>Waits until the image has arrived and decoded (one that failed to load keeps its box but shows nothing); times out otherwise.</summary>
    private static Task WaitUntilDrawn(IPage page) =>
        page.WaitForFunctionAsync("() => { const i = document.querySelector('.share-qr img'); return i.complete && i.naturalWidth > 0; }",
            null, new() { Timeout = 10_000 });

    [Fact]
    public async Task Phone_FoldsTheQrCode_UntilAsked()
    {
        var page = await portal.NewPageAsync(Screen.Phone);
        await page.GotoAsync(await portal.ArticleUrlAsync("jinan-xiangxi-delegation"));

        var code = page.Locator(".share-qr img");
        await Expect(code).ToBeHiddenAsync();
        await page.Locator(".share-qr summary").ClickAsync();
        await Expect(code).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Print_ShowsTheQrCode_WithoutTheFold()
    {
        var page = await portal.NewPageAsync(Screen.Phone);
        await page.GotoAsync(await portal.ArticleUrlAsync("jinan-xiangxi-delegation"));

        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Expect(page.Locator(".share-qr img")).ToBeVisibleAsync();
        await Expect(page.Locator(".share-qr summary")).ToBeHiddenAsync();
        // Fetched with the page, not when the fold opens, so a phone's printout has it too.
        await WaitUntilDrawn(page);
    }
}
