using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>Full-page screenshots of the key pages, written next to the test binaries (never committed).</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>
    /// Saves <c>name.png</c> (the whole page) and, with <paramref name="firstScreen"/>, <c>name-screen.png</c> (what
    /// the window shows before scrolling: small enough for the README, see tests/screenshots).
    /// </summary>
    public static async Task<string> SaveAsync(IPage page, string name, bool firstScreen = false)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (firstScreen)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + "-screen.png") });
        }
        return path;
    }

    public static string Name(this Screen screen, string page) => $"{page}-{(screen == Screen.Phone ? "360" : "1280")}";
}
