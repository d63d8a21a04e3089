using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>The staff archive search at /admin/search: every state, a status filter, and the CSV export.</summary>
/// <remarks>
/// Without the scheduled-publishing job: the embargo test moves the clock three days, which would run the job's
/// 20-second timer thousands of times; a scheduled article is findable once due whatever the job does.
/// </remarks>
public sealed class SearchTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    private async Task<Dictionary<string, int>> SeedAsync(string? reporterId = null, string? otherId = null)
    {
        var channel = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var builders = new Dictionary<string, ArticleBuilder>
        {
            ["draft"] = new ArticleBuilder(channel, "状态测试雪峰蜜桔草稿").Draft().Owner(reporterId),
            ["others-draft"] = new ArticleBuilder(channel, "状态测试雪峰蜜桔他人草稿").Draft().Owner(otherId),
            ["scheduled"] = new ArticleBuilder(channel, "状态测试雪峰蜜桔定时").PublishedAt(now.AddDays(2)).Owner(otherId),
            ["withdrawn"] = new ArticleBuilder(channel, "状态测试雪峰蜜桔撤稿").Withdrawn().Owner(otherId),
            ["published"] = new ArticleBuilder(channel, "=状态测试雪峰蜜桔, \"已发布\"").Source("湘西日报").Owner(otherId),
        };
        return await _factory.WithDbAsync(async db =>
        {
            var articles = builders.ToDictionary(b => b.Key, b => b.Value.Build());
            db.Articles.AddRange(articles.Values);
            await db.SaveChangesAsync();
            return articles.ToDictionary(a => a.Key, a => a.Value.Id);
        });
    }

    private static List<int> HitIds(IHtmlDocument page) => page.QuerySelectorAll(".search-table tbody tr td:first-child > a")
        .Select(a => int.Parse(a.GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public async Task Editor_FindsArticlesInEveryState()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var ids = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("雪峰蜜桔"));

        Assert.Equal(ids.Values.Order(), HitIds(page).Order());
        Assert.Contains("共找到 5 篇", page.QuerySelector(".search-count").Text());
    }

    [Theory]
    [InlineData("draft", new[] { "draft", "others-draft" })]
    [InlineData("scheduled", new[] { "scheduled" })]
    [InlineData("withdrawn", new[] { "withdrawn" })]
    [InlineData("published", new[] { "published" })]
    public async Task StatusFilter_KeepsOnlyThatState(string status, string[] expected)
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var ids = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync($"/admin/search?q={Uri.EscapeDataString("雪峰蜜桔")}&status={status}");

        Assert.Equal(expected.Select(k => ids[k]).Order(), HitIds(page).Order());
    }

    [Fact]
    public async Task Reporter_FindsPublishedAndOwnArticles_NotOthersDrafts()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("other@example.com", NewsRoles.Reporter);
        var ids = await SeedAsync(await UserIdAsync("reporter@example.com"), await UserIdAsync("other@example.com"));
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var hits = HitIds(await reporter.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("雪峰蜜桔")));

        Assert.Contains(ids["draft"], hits);
        Assert.Contains(ids["published"], hits);
        Assert.DoesNotContain(ids["others-draft"], hits);
        Assert.DoesNotContain(ids["withdrawn"], hits);
    }

    [Theory]
    [InlineData(NewsRoles.Reporter)]
    public async Task OthersScheduledArticle_BeforeItsMinute_IsNeitherListedNorExported_ThenFoundOnceDue(string role)
    {
        await _factory.CreateUserAsync("someone@example.com", role);
        await _factory.CreateUserAsync("other@example.com", NewsRoles.Reporter);
        var ids = await SeedAsync(await UserIdAsync("someone@example.com"), await UserIdAsync("other@example.com"));
        var client = await _factory.SignInAsync("someone@example.com");
        var url = "/admin/search?q=" + Uri.EscapeDataString("雪峰蜜桔");

        var page = await client.GetPageAsync(url);
        var csv = await client.GetStringAsync(page.QuerySelector("a[download]")!.GetAttribute("href")!);

        Assert.DoesNotContain(ids["scheduled"], HitIds(page));
        Assert.Contains(ids["published"], HitIds(page));
        Assert.DoesNotContain("状态测试雪峰蜜桔定时", page.Body!.TextContent);
        Assert.DoesNotContain("状态测试雪峰蜜桔定时", csv);

        _factory.Clock.Advance(TimeSpan.FromDays(3));
        // Three days on the session has lapsed; a fresh sign-in sees the article now that it is out.
        var later = await _factory.SignInAsync("someone@example.com");
        Assert.Contains(ids["scheduled"], HitIds(await later.GetPageAsync(url)));
    }

    [Fact]
    public async Task OwnScheduledArticle_BeforeItsMinute_IsFoundByItsReporter()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var ids = await SeedAsync(otherId: await UserIdAsync("reporter@example.com"));
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var hits = HitIds(await reporter.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("雪峰蜜桔")));

        Assert.Contains(ids["scheduled"], hits);
    }

    [Fact]
    public async Task CsvExport_IsUtf8WithBom_AndHoldsTheWholeResultSet()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var ids = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        var page = await editor.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("雪峰蜜桔"));
        var csvUrl = page.QuerySelector("a[download]")!.GetAttribute("href")!;

        using var response = await editor.GetAsync(csvUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("编号,标题,栏目,状态,来源,作者", lines[0]);
        Assert.Equal(ids.Count, lines.Length - 1);
        Assert.Contains(lines, l => l.Contains("状态测试雪峰蜜桔草稿") && l.Contains("草稿"));
        // A title starting with = must not become a formula; quotes and commas stay inside one quoted cell.
        Assert.Contains(lines, l => l.Contains($"{ids["published"]},\"'=状态测试雪峰蜜桔, \"\"已发布\"\"\",") && l.Contains("湘西日报"));
    }

    [Fact]
    public async Task CsvExport_WithoutAQuery_IsABadRequest()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await editor.GetAsync("/admin/search?handler=csv&q=%21%21");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var response = await _factory.CreateReader().GetAsync("/admin/search?q=x");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/signin", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
