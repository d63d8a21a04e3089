using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright's own browser download is never used (it cannot be fetched
/// here), so a machine without the package fails every browser test with the way to install it.
/// </summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>CHROMIUM_PATH overrides the Debian location (e.g. another distribution's package).</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultPath;

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {path}, and it is not there. Install Debian's package: " +
                "'apt-get install -y --no-install-recommends chromium', or set CHROMIUM_PATH to a Chromium binary; " +
                "./test at the top of the repository installs it and everything else the tests need. " +
                "Do not run 'playwright install': these tests never use Playwright's own browser download.");
        }
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // /dev/shm is small in containers; the GPU and background networking are of no use to a headless test.
            Args = ["--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
    }
}
