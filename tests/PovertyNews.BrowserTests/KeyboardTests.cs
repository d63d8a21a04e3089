using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>A keyboard-only reader and editor: skip link, visible focus, reachable and labelled fields, alt text.</summary>
public sealed class KeyboardTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    public static TheoryData<string, Screen> SkipLinkPages() => new()
    {
        { "/", Screen.Phone },
        { "/", Screen.Desktop },
        { "/articles/jinan-xiangxi-delegation", Screen.Desktop },
        { "/search?q=十八洞村", Screen.Desktop },
        { "/admin/signin", Screen.Desktop },
        { "/admin", Screen.Desktop },
    };

    [Theory]
    [MemberData(nameof(SkipLinkPages))]
    public async Task SkipLink_IsTheFirstTabStop_AndMovesFocusToMain(string path, Screen screen)
    {
        var page = path == "/admin" ? await portal.SignInAsync(PortalFixture.Editor, screen) : await portal.NewPageAsync(screen);
        await page.GotoAsync(await ResolveAsync(path));

        var first = await Focus.TabAsync(page);

        Assert.NotNull(first);
        Assert.Equal("a", first.Tag);
        Assert.Equal("跳到正文", first.Name);
        Assert.True(first.IsVisible, $"the focused skip link is not visible: {first}");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // The next Tab continues inside the main content, not back at the top of the page.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('main').contains(document.activeElement)"),
            "after the skip link, Tab should move into the main content");
        await page.Context.CloseAsync();
    }

    public static TheoryData<string> FocusPages() => new() { "/", "/articles/jinan-xiangxi-delegation", "/admin", "/admin/articles/new", "/admin/calendar?date=2020-06-01" };

    [Theory]
    [MemberData(nameof(FocusPages))]
    public async Task EveryTabStop_ShowsAVisibleFocusIndicator(string path)
    {
        var page = path.StartsWith("/admin", StringComparison.Ordinal) ? await portal.SignInAsync(PortalFixture.Reporter) : await portal.NewPageAsync();
        await page.GotoAsync(await ResolveAsync(path));

        var seen = new List<FocusState>();
        for (var i = 0; i < 200; i++)
        {
            var state = await Focus.TabAsync(page);
            if (state is null || (seen.Count > 0 && state == seen[0]))
            {
                break; // back at the start of the page
            }
            seen.Add(state);
        }

        Assert.True(seen.Count >= 5, $"only {seen.Count} tab stops on {path}");
        var invisible = seen.Where(s => !s.IsVisible).ToList();
        Assert.True(invisible.Count == 0, $"focus is hard to see on {path}:\n" + string.Join("\n", invisible));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ArticleEditor_EveryFieldIsReachableByTab_AndLabelled()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        await Expect(page.Locator(".editor-toolbar")).ToBeVisibleAsync();

        // The form's visible controls, each with the text of its label (or its accessible name for buttons).
        var controls = await page.EvaluateAsync<Control[]>("""
            () => [...document.querySelectorAll('#article-form input, #article-form select, #article-form textarea, #article-form button')]
              .filter(e => e.type !== 'hidden' && e.getClientRects().length > 0)
              .map((e, i) => {
                if (!e.id) e.id = 'control-' + i;
                const label = e.tagName === 'BUTTON'
                  ? (e.getAttribute('aria-label') || e.innerText)
                  : [...(e.labels || [])].map(l => l.innerText).join(' ');
                return { id: e.id, label: (label || '').trim() };
              })
            """);
        Assert.True(controls.Length >= 20, $"only {controls.Length} controls found in the editor form");
        var unlabelled = controls.Where(c => c.Label.Length == 0).Select(c => c.Id).ToList();
        Assert.True(unlabelled.Count == 0, "controls without a label: " + string.Join(", ", unlabelled));

        var reached = new HashSet<string>();
        for (var i = 0; i < 120 && !controls.All(c => reached.Contains(c.Id)); i++)
        {
            var state = await Focus.TabAsync(page);
            if (state is not null)
            {
                reached.Add(state.Id);
                Assert.True(state.IsVisible, $"focus is hard to see in the editor: {state}");
            }
        }
        var missed = controls.Where(c => !reached.Contains(c.Id)).Select(c => $"{c.Id} ({c.Label})").ToList();
        Assert.True(missed.Count == 0, "not reachable with Tab: " + string.Join(", ", missed));
        await page.Context.CloseAsync();
    }

    public sealed record Control
    {
        public string Id { get; init; } = "";
        public string Label { get; init; } = "";
    }

    public static TheoryData<string> ImagePages() => new()
    {
        "/", "/articles/jinan-xiangxi-delegation", "/channels/xiaozhen", "/videos", "/search?q=十八洞村", "/archive/2020/6",
    };

    [Theory]
    [MemberData(nameof(ImagePages))]
    public async Task EveryImage_HasAltText_EmptyOnlyWhenDecorative(string path)
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync(await ResolveAsync(path));

        var images = await page.EvaluateAsync<Image[]>("""
            () => [...document.images].map(i => ({
              src: i.getAttribute('src') || '',
              alt: i.getAttribute('alt'),
              // Decorative: hidden from assistive technology, or inside a link that names itself with its own text.
              decorative: !!i.closest('[aria-hidden="true"]') || i.getAttribute('role') === 'presentation'
                || (i.closest('a, button')?.innerText || '').trim().length > 0,
            }))
            """);

        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.True(i.Alt is not null, $"<img src=\"{i.Src}\"> has no alt attribute on {path}"));
        // An empty alt says "decorative": only where the link around it already says what it is, or it is hidden.
        Assert.All(images, i => Assert.True(i.Alt!.Trim().Length > 0 || i.Decorative,
            $"<img src=\"{i.Src}\"> has an empty alt, but nothing else names it, on {path}"));
        await page.Context.CloseAsync();
    }

    public sealed record Image
    {
        public string Src { get; init; } = "";
        public string? Alt { get; init; }
        public bool Decorative { get; init; }
    }

    private async Task<string> ResolveAsync(string path) =>
        path.StartsWith("/articles/", StringComparison.Ordinal) ? await portal.ArticleUrlAsync(path["/articles/".Length..]) : path;
}
