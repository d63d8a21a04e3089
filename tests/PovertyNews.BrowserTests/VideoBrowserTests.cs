using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The sample video really plays in Chromium: the project's own WebM (VP8) clip from the media library, served with
/// byte ranges; and the media library shows it with its poster.
/// </summary>
public sealed class VideoBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task SampleVideo_PlaysInTheBrowser(Screen screen)
    {
        var page = await portal.NewPageAsync(screen);
        await page.GotoAsync(await portal.ArticleUrlAsync("video-aizhai-bridge"));
        var video = page.Locator(".article__video video");
        await Expect(video).ToBeVisibleAsync();

        // Muted, as a page may start a video without a tap only when it makes no sound.
        await video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('.article__video video'); return v.currentTime > 0.5 && v.readyState >= 2; }",
            null, new() { Timeout = 20_000 });

        var state = await video.EvaluateAsync<double[]>("v => [v.duration, v.videoWidth, v.videoHeight, v.error ? v.error.code : 0]");
        Assert.InRange(state[0], 7.9, 8.1); // the clip is 8 s (80 frames at 10 a second)
        Assert.Equal((640.0, 360.0, 0.0), (state[1], state[2], state[3]));
        Assert.Contains("/media/", await video.Locator("source").GetAttributeAsync("src"));
        await video.EvaluateAsync("v => { v.pause(); v.currentTime = 4; }");
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('.article__video video'); return !v.seeking && v.readyState >= 2; }");
        await Screenshots.SaveAsync(page, screen.Name("video"), firstScreen: true);

        await Axe.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Screen.Phone)]
    [InlineData(Screen.Desktop)]
    public async Task MediaLibrary_ShowsVideosWithPosterAndDuration(Screen screen)
    {
        var page = await portal.SignInAsync(PortalFixture.Editor, screen);
        await page.GotoAsync("/admin/media?kind=video");
        var card = page.Locator(".media-card--video", new() { HasText = "aizhai-bridge.webm" });
        await Expect(card).ToContainTextAsync("0:08");
        var poster = card.Locator("img");
        await Expect(poster).ToBeVisibleAsync();
        Assert.True(await poster.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await Screenshots.SaveAsync(page, screen.Name("media-video"), firstScreen: true);
        await Axe.AssertNoSeriousViolationsAsync(page);

        await card.Locator("a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("aizhai-bridge.webm");
        await Expect(page.Locator("#poster-id option:checked")).ToContainTextAsync("aizhai-bridge-poster.jpg");
        await Screenshots.SaveAsync(page, screen.Name("media-video-details"));
        await Axe.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }
}
