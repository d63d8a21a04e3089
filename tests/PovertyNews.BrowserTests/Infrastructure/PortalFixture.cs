using Microsoft.Playwright;
using PovertyNews.Web.Domain;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>The two screens every reader journey runs on.</summary>
public enum Screen
{
    Phone,
    Desktop,
}

/// <summary>
/// One started app and one Chromium per test class (an xunit class fixture): starting them is the slow part, and a
/// test opens its own browser context (own cookies) in a few milliseconds.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    public const string Reporter = "reporter@example.com";
    public const string Editor = "editor@example.com";
    public const string SecondEditor = "editor2@example.com";
    public const string Chief = "chief@example.com";
    public const string Admin = "admin@example.com";

    // A shared CI machine can be slow; waiting longer costs nothing when the page is already right.
    static PortalFixture() => Assertions.SetDefaultExpectTimeout(45_000);

    public PortalApp App { get; } = new();

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public virtual async Task InitializeAsync()
    {
        // The browser first: a machine without Chromium fails at once, with the way to install it.
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        App.Start();
        await App.CreateUserAsync(Reporter, "李记者", NewsRoles.Reporter);
        await App.CreateUserAsync(Editor, "王编辑", NewsRoles.Editor);
        await App.CreateUserAsync(SecondEditor, "赵编辑", NewsRoles.Editor);
        await App.CreateUserAsync(Chief, "陈总编", NewsRoles.EditorInChief);
        await App.CreateUserAsync(Admin, "管理员", NewsRoles.Administrator, NewsRoles.EditorInChief);
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>A fresh context (cookies, storage) on a 360 px phone or a 1280 px desktop, in Chinese and China's time zone.</summary>
    public async Task<IPage> NewPageAsync(Screen screen = Screen.Desktop)
    {
        var phone = screen == Screen.Phone;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 360, Height = 740 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = 1,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>The public address of a sample article, found by its slug.</summary>
    public Task<string> ArticleUrlAsync(string slug) => App.ArticleUrlAsync(slug);

    /// <summary>A signed-in newsroom page: the sign-in form filled and sent as a person would.</summary>
    public async Task<IPage> SignInAsync(string email, Screen screen = Screen.Desktop)
    {
        var page = await NewPageAsync(screen);
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(PortalApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/admin/signin", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            // Say what the form said (a refusal, a lock, a token error) rather than only that it never left.
            var said = await page.Locator("main").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"Sign-in as {email} stayed on {page.Url}; the page says: {said}");
        }
        return page;
    }
}
