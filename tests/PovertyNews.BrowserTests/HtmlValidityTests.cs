using PovertyNews.BrowserTests.Infrastructure;

namespace PovertyNews.BrowserTests;

/// <summary>
/// Every public page type and the main newsroom pages, as the server sends them, pass the Nu HTML Checker with no
/// errors. The pages are fetched through a browser context (signed in where needed) and checked in one vnu run.
/// </summary>
public sealed class HtmlValidityTests(HtmlValidityTests.Fixture portal) : IClassFixture<HtmlValidityTests.Fixture>
{
    /// <summary>Name (also the file name), address, whether it needs the newsroom, and the status it answers with.</summary>
    private static readonly (string Name, string Path, bool SignedIn, int Status)[] Pages =
    [
        ("front", "/", false, 200),
        ("article", "/articles/{jinan}", false, 200),
        ("video-article", "/articles/{video}", false, 200),
        ("channel", "/channels/tuopin", false, 200),
        ("tag", "/tags/湘西", false, 200),
        ("archive", "/archive", false, 200),
        ("archive-month", "/archive/2020/6", false, 200),
        ("videos", "/videos", false, 200),
        ("sitemap-html", "/sitemap", false, 200),
        ("search-results", "/search?q=十八洞村", false, 200),
        ("search-none", "/search?q=没有这个词语", false, 200),
        ("search-form", "/search", false, 200),
        ("error-404", "/articles/999999", false, 404),
        ("admin-signin", "/admin/signin", false, 200),
        ("admin-dashboard", "/admin", true, 200),
        ("admin-articles", "/admin/articles", true, 200),
        ("admin-editor-new", "/admin/articles/new", true, 200),
        ("admin-editor-edit", "/admin/articles/{draft}/edit", true, 200),
        ("admin-editor-edit-published", "/admin/articles/{jinan}/edit", true, 200),
        ("admin-review-draft", "/admin/articles/{draft}", true, 200),
        ("admin-review-published", "/admin/articles/{jinan}", true, 200),
        ("admin-revisions", "/admin/articles/{jinan}/revisions", true, 200),
        ("admin-approval", "/admin/articles/{jinan}/approval", true, 200),
        ("admin-users", "/admin/users", true, 200),
        ("admin-users-new", "/admin/users/new", true, 200),
        ("admin-desks", "/admin/desks", true, 200),
        ("admin-settings", "/admin/settings", true, 200),
        ("admin-audit", "/admin/audit", true, 200),
        ("admin-search", "/admin/search?q=十八洞村", true, 200),
        ("admin-inbox", "/admin/inbox", true, 200),
        ("admin-inbox-settings", "/admin/inbox/settings", true, 200),
        ("admin-saved-searches", "/admin/search/saved", true, 200),
        ("admin-channels", "/admin/channels", true, 200),
        ("admin-channels-new", "/admin/channels/new", true, 200),
        ("admin-channel-edit", "/admin/channels/1", true, 200),
        ("admin-channel-delete", "/admin/channels/1/delete", true, 200),
        ("admin-media", "/admin/media", true, 200),
        ("admin-media-upload", "/admin/media/upload", true, 200),
        ("admin-analytics", "/admin/analytics", true, 200),
        ("admin-analytics-bad-period", "/admin/analytics?range=custom&from=2026-12-02&to=2026-12-01", true, 400),
        ("admin-analytics-article", "/admin/analytics/articles/{jinan}", true, 200),
        ("admin-comments", "/admin/comments?status=all", true, 200),
    ];

    /// <summary>A page the checker must reject, so a checker that silently checks nothing cannot pass.</summary>
    private const string BrokenControl = "control-broken";

    public static TheoryData<string> PageNames() => new(Pages.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PageNames))]
    public async Task Page_PassesTheNuHtmlChecker(string name)
    {
        var report = await portal.ReportAsync();

        var errors = report.Errors[name + ".html"];
        var page = Pages.Single(p => p.Name == name);
        Assert.True(errors.Count == 0,
            $"{page.Path} ({report.Folder}/{name}.html) has {errors.Count} HTML error(s):\n" + string.Join("\n", errors.Select(e => "  " + e)));
    }

    [Fact]
    public async Task Checker_RejectsABrokenPage()
    {
        var report = await portal.ReportAsync();

        var errors = report.Errors[BrokenControl + ".html"];
        Assert.Contains(errors, e => e.Message.Contains("alt", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 1 && e.Message.Contains("“p”", StringComparison.Ordinal));
    }

    public sealed record Report(string Folder, IReadOnlyDictionary<string, List<HtmlMessage>> Errors);

    public sealed class Fixture : PortalFixture
    {
        private readonly Lazy<Task<Report>> _report;

        public Fixture() => _report = new(FetchAndCheckAsync);

        public Task<Report> ReportAsync() => _report.Value;

        private async Task<Report> FetchAndCheckAsync()
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "html");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            Directory.CreateDirectory(folder);
            var ids = new Dictionary<string, string>
            {
                ["{jinan}"] = await App.ArticleUrlAsync("jinan-xiangxi-delegation"),
                ["{video}"] = await App.ArticleUrlAsync("video-aizhai-bridge"),
                ["{draft}"] = await App.ArticleUrlAsync("draft-next-steps-followup"),
            };

            var reader = await NewPageAsync();
            var staff = await SignInAsync(Admin);
            var files = new List<string>();
            foreach (var (name, template, signedIn, status) in Pages)
            {
                var path = template;
                foreach (var (key, url) in ids)
                {
                    // "/articles/{id}/{slug}" for readers; the newsroom's addresses use the id alone.
                    path = path.Replace(key, template.StartsWith("/admin", StringComparison.Ordinal) ? url.Split('/')[2] : url["/articles/".Length..]);
                }
                var response = await (signedIn ? staff : reader).Context.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });
                Assert.True(response.Status == status, $"GET {path} answered {response.Status}, expected {status}");
                var file = Path.Combine(folder, name + ".html");
                await File.WriteAllBytesAsync(file, await response.BodyAsync());
                files.Add(file);
            }
            await reader.Context.CloseAsync();
            await staff.Context.CloseAsync();

            var control = Path.Combine(folder, BrokenControl + ".html");
            await File.WriteAllTextAsync(control, "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>坏页</title></head><body><p><div>块</div></p><img src=\"a.png\"></body></html>");
            files.Add(control);

            return new Report(folder, await NuHtmlChecker.CheckAsync(files));
        }
    }
}
