using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SavedSearches;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>The shared app whose saved-search alert job waits a day between passes: each test runs a pass itself.</summary>
public sealed class SavedSearchApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:SavedSearches:AlertInterval", "1.00:00:00"));

/// <summary>
/// 保存的检索: saved from the staff search page as the page read the query, listed, run, renamed, alerted and deleted by
/// their owner only; the alert job tells of reports published since its last run that the search finds.
/// </summary>
public sealed class SavedSearchTests(SavedSearchApp shared) : IClassFixture<SavedSearchApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private Task<int> RunAlertsAsync() => _app.Services.GetRequiredService<SavedSearchAlerts>().RunAsync(CancellationToken.None);

    private static string Q(string words) => Uri.EscapeDataString(words);

    private async Task SaveAsync(HttpClient client, string searchUrl, string name, bool alert)
    {
        var values = new Dictionary<string, string?> { ["Name"] = name, ["Alert"] = alert ? "true" : null };
        using var saved = await client.SubmitFormAsync(searchUrl, "form.save-search__form", values);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/admin/search/saved", saved.Headers.Location!.OriginalString);
    }

    private async Task<int> PublishedAsync(string title, DateTime at, string? owner = null, bool draft = false)
    {
        var channel = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        var builder = new ArticleBuilder(channel, title).Owner(owner);
        builder = draft ? builder.Draft() : builder.PublishedAt(at);
        return await _factory.WithDbAsync(async db =>
        {
            var article = builder.Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
    }

    [Fact]
    public async Task SaveForm_KeepsTheSearchAsThePageReadIt_AndTheOwnerRunsRenamesTogglesAndDeletesIt()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");
        Assert.Null((await editor.GetPageAsync("/admin/search")).QuerySelector("form.save-search__form"));

        await SaveAsync(editor, $"/admin/search?q={Q(" 猕猴桃 ")}&channel=xiezuo&from=2024-1-5&status=published&page=2", "猕猴桃报道", alert: true);

        var row = await _factory.WithDbAsync(db => db.SavedSearches.SingleAsync());
        // Trimmed, the date written out, no page: the query the search page made of it.
        Assert.Equal($"?q={Q("猕猴桃")}&channel=xiezuo&from=2024-01-05&status=published", row.Query);
        Assert.True(row.Alert);
        Assert.Equal(Now, row.CheckedUpTo!.Value, TimeSpan.FromSeconds(1));

        var list = await editor.GetPageAsync("/admin/search/saved");
        Assert.Contains("已保存检索", list.QuerySelector(".flash").Text());
        var link = list.QuerySelector($"#saved-{row.Id} .saved-search__name a")!;
        Assert.Equal("猕猴桃报道", link.Text());
        Assert.Equal("/admin/search" + row.Query, link.GetAttribute("href"));
        Assert.Equal("猕猴桃", ((AngleSharp.Html.Dom.IHtmlInputElement)(await editor.GetPageAsync(link.GetAttribute("href")!)).QuerySelector("input[name=q]")!).Value);

        using (var duplicate = await editor.SubmitFormAsync($"/admin/search?q={Q("茶叶")}", "form.save-search__form", new() { ["Name"] = "猕猴桃报道" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
            Assert.Contains("已有名为", (await duplicate.ReadPageAsync()).QuerySelector(".form-errors").Text());
        }

        using (var renamed = await editor.SubmitFormAsync("/admin/search/saved", $"#saved-{row.Id} form.saved-search__rename", new() { ["Name"] = "猕猴桃" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        }
        using (var off = await editor.SubmitFormAsync("/admin/search/saved", $"#saved-{row.Id} form.saved-search__alert", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        }
        var changed = await _factory.WithDbAsync(db => db.SavedSearches.SingleAsync());
        Assert.Equal(("猕猴桃", false), (changed.Name, changed.Alert));

        // Someone else's saved search is not found by any of the forms, and is left as it was.
        var other = await _factory.SignInAsync("editor2@example.com");
        Assert.Empty((await other.GetPageAsync("/admin/search/saved")).QuerySelectorAll(".saved-search"));
        var token = (await other.GetPageAsync("/admin/search/saved")).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (await other.GetPageAsync($"/admin/search?q={Q("茶")}")).QuerySelector("form.save-search__form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var handler in new[] { "rename", "alert", "delete" })
        {
            using var foreign = await other.PostAsync($"/admin/search/saved?handler={handler}&id={row.Id}", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Name"] = "偷改", ["Alert"] = "true" }));
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }
        Assert.Equal("猕猴桃", (await _factory.WithDbAsync(db => db.SavedSearches.SingleAsync())).Name);

        using (var deleted = await editor.SubmitFormAsync("/admin/search/saved", $"#saved-{row.Id} form.saved-search__delete", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }
        Assert.Equal(0, await _factory.WithDbAsync(db => db.SavedSearches.CountAsync()));
    }

    [Fact]
    public async Task Alert_TellsOfReportsPublishedSinceItsLastRun_ThatTheSearchFinds_OnceEach()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");
        await SaveAsync(editor, $"/admin/search?q={Q("猕猴桃")}", "猕猴桃", alert: true);
        await SaveAsync(editor, $"/admin/search?q={Q("猕猴桃")}&status=draft", "猕猴桃草稿", alert: true);
        await SaveAsync(editor, $"/admin/search?q={Q("猕猴桃")}&channel=yuqing", "舆情猕猴桃", alert: true);
        await SaveAsync(editor, $"/admin/search?q={Q("猕猴桃")}&sort=date", "猕猴桃不提醒", alert: false);
        var saved = Now;
        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var old = await PublishedAsync("凤凰县猕猴桃往年旧闻", saved.AddDays(-3));
        var first = await PublishedAsync("永顺县猕猴桃进入采摘期", saved.AddMinutes(1));
        var second = await PublishedAsync("花垣县猕猴桃加工厂投产", saved.AddMinutes(1.5));
        await PublishedAsync("保靖县黄金茶开采", saved.AddMinutes(1));
        await PublishedAsync("龙山县猕猴桃种植草稿", saved, draft: true);
        // Due only in an hour: not yet published for the alert.
        await PublishedAsync("吉首市猕猴桃定时稿件", saved.AddHours(1));

        Assert.Equal(1, await RunAlertsAsync());

        var notice = await _factory.WithDbAsync(db => db.Notifications.SingleAsync());
        Assert.Equal(NotificationKind.SavedSearchMatch, notice.Kind);
        Assert.Equal(second, notice.ArticleId);
        Assert.Equal("保存的检索“猕猴桃”有 2 篇新发布的稿件：《花垣县猕猴桃加工厂投产》、《永顺县猕猴桃进入采摘期》", notice.Text);
        Assert.Null(notice.ActorName);
        var inbox = await editor.GetPageAsync("/admin/inbox");
        Assert.Equal("/admin/search/saved", inbox.QuerySelector(".inbox-item__actions a")!.GetAttribute("href"));
        Assert.NotEqual(old, first);

        // Nothing new: nothing said again.
        Assert.Equal(0, await RunAlertsAsync());

        _factory.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await RunAlertsAsync());
        var later = await _factory.WithDbAsync(db => db.Notifications.OrderBy(n => n.Id).Select(n => n.Text).ToListAsync());
        Assert.Equal("保存的检索“猕猴桃”有 1 篇新发布的稿件：《吉首市猕猴桃定时稿件》", later[^1]);
        var marks = await _factory.WithDbAsync(db => db.SavedSearches.Where(s => s.Alert).Select(s => s.CheckedUpTo).ToListAsync());
        Assert.All(marks, m => Assert.Equal(Now, m!.Value, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Alert_InAppTurnedOff_WritesNothing_ButMovesItsMarkOn()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        await SaveAsync(reporter, $"/admin/search?q={Q("茶叶")}", "茶叶", alert: true);
        await _factory.WithDbAsync(async db =>
        {
            var me = await db.Users.Where(u => u.Email == "reporter@example.com").Select(u => u.Id).SingleAsync();
            db.NotificationPreferences.Add(new NotificationPreference { UserId = me, Kind = NotificationKind.SavedSearchMatch, InApp = false });
            await db.SaveChangesAsync();
        });
        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await PublishedAsync("古丈县茶叶节开幕", Now.AddMinutes(-1));

        await RunAlertsAsync();

        Assert.Equal(0, await _factory.WithDbAsync(db => db.Notifications.CountAsync()));
        Assert.Equal(Now, (await _factory.WithDbAsync(db => db.SavedSearches.SingleAsync())).CheckedUpTo!.Value, TimeSpan.FromSeconds(1));
    }
}
