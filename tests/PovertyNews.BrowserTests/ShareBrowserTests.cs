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
    }

    [Fact]
    public async Task Phone_FoldsTheQrCode_UntilAsked()
    {
        var page = await portal.NewPageAsync(Screen.Phone);
        await page.GotoAsync(await portal.ArticleUrlAsync("jinan-xiangxi-delegation"));

        var code = page.Locator(".share-qr svg");
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

        await Expect(page.Locator(".share-qr svg")).ToBeVisibleAsync();
        await Expect(page.Locator(".share-qr summary")).ToBeHiddenAsync();
    }
}
