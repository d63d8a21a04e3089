using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

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

        var page = await admin.GetPageAsync("/admin/status");

        Assert.Equal($"{articles:N0} 篇", Figure(page, "#status-search", "稿件"));
        Assert.Equal($"{articles:N0} 篇", Figure(page, "#status-search", "已索引"));
        Assert.Equal("一致", page.QuerySelector("#status-search .status-verdict")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#status-version code"));
        Assert.Contains("MB", page.QuerySelector("#status-database")!.TextContent);
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
