using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PovertyNews.IntegrationTests.Operations;

public sealed class StatusPageTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Administrator_SeesTheArticleAndIndexCountsOfTheDatabase()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        var admin = await _factory.SignInAsync(Admin);
        var articles = await _factory.WithDbAsync(db => db.Articles.CountAsync());
        var images = await _factory.WithDbAsync(db => db.MediaItems.CountAsync());

        var page = await admin.GetPageAsync("/admin/status");

        Assert.Equal($"{articles:N0} 篇", Figure(page, "#status-search", "稿件"));
        Assert.Equal($"{articles:N0} 篇", Figure(page, "#status-search", "已索引"));
        Assert.Equal("一致", page.QuerySelector("#status-search .status-verdict")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#status-version code"));
        Assert.Matches(@"^\d+(\.\d+)? (B|KB|MB|GB)$", Figure(page, "#status-database", "大小"));
        Assert.Equal($"{images:N0} 张", Figure(page, "#status-storage", "图片"));
        Assert.StartsWith("正常", page.QuerySelector("#status-health .status-verdict")!.TextContent.Trim());
        Assert.Equal(["database", "integrity", "search-index", "data-folder", "media-folder", "disk-space"],
            page.QuerySelectorAll("#status-health [data-check]").Select(li => li.GetAttribute("data-check")!));
        Assert.Equal("没有", Figure(page, "#status-backup", "最近备份"));
        Assert.NotNull(page.QuerySelector("#status-requests svg rect"));
        // PostgreSQL has no quick_check; without amcheck in the database (the test clusters have none) there is no
        // check to report, and the page says so instead of "not yet run".
        var integrity = Figure(page, "#status-database", "完整性检查");
        if (_factory.Provider == PovertyNews.Web.Data.DatabaseProvider.PostgreSql)
        {
            Assert.StartsWith("不适用", integrity);
        }
        else
        {
            Assert.DoesNotContain("不适用", integrity);
        }
    }

    [Fact]
    public async Task WarningLoggedByTheSite_IsListedWithItsTextEscaped()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        var admin = await _factory.SignInAsync(Admin);
        var logger = _factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StatusPageTests");
        var marker = Guid.NewGuid().ToString("N");

        logger.LogWarning("Test warning {Marker} with a forged\nline", marker);
        var page = await admin.GetPageAsync("/admin/status");

        var row = page.QuerySelectorAll("#status-errors tbody tr").First(tr => tr.TextContent.Contains(marker));
        Assert.Equal("警告", row.Children[1].TextContent.Trim());
        Assert.DoesNotContain("\n", row.Children[2].TextContent.Trim());
    }

    [Fact]
    public async Task Editor_IsRefused()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await editor.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>The figure shown beside <paramref name="label"/> in a card.</summary>
    internal static string Figure(IHtmlDocument page, string card, string label) =>
        page.QuerySelectorAll($"{card} dt").Single(dt => dt.TextContent.Trim() == label).NextElementSibling!.TextContent.Trim();
}
