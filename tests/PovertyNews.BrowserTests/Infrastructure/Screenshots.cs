using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>Full-page screenshots of the key pages, written next to the test binaries (never committed).</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public static string Name(this Screen screen, string page) => $"{page}-{(screen == Screen.Phone ? "360" : "1280")}";
}
