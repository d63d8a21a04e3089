using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.RecycleBin;
using PovertyNews.Web.Search;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>The shared app without the recycle bin's purge job and the publishing job: each test decides when a pass runs.</summary>
public sealed class NoBackgroundJobsApp() : SharedNewsApp(b => b.ConfigureTestServices(services =>
{
    foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)
                 && (d.ImplementationType == typeof(RecycleBinPurger) || d.ImplementationType == typeof(SchedulePublisher))).ToList())
    {
        services.Remove(hosted);
    }
}));

/// <summary>
/// 回收站: deleting a report readers never saw moves it to the recycle bin, out of every staff list; it can be restored
/// as a draft, and the purge job deletes it for good after the retention period (30 days), with its history and its
/// search entry. Published reports are withdrawn, never deleted.
/// </summary>
public sealed class RecycleBinTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ArticleStatus> StatusOfAsync(int id) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());

    private RecycleBinPurger Purger() => ActivatorUtilities.CreateInstance<RecycleBinPurger>(_factory.Services);

    private async Task<int> PublishedAsync(string title) => await _factory.WithDbAsync(async db =>
    {
        var channel = await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync();
        var article = new ArticleBuilder(channel, title).Body($"{title}的正文").Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    [Fact]
    public async Task Recycle_OwnDraft_LeavesEveryStaffList_RestoreBringsItBackAsDraft()
    {
        const string title = "十八洞村猕猴桃基地扩建方案";
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var id = await _factory.CreateDraftAsync("reporter@example.com", title);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        Assert.Contains(title, (await reporter.GetPageAsync("/admin/articles")).Body!.TextContent);
        Assert.Contains(title, (await reporter.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("猕猴桃基地"))).Body!.TextContent);

        await reporter.StepOkAsync(id, "recycle");

        Assert.Equal(ArticleStatus.Recycled, await StatusOfAsync(id));
        var review = await reporter.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains("回收站", review.QuerySelector(".flash").Text());
        Assert.Contains("删除", review.QuerySelector("#article-recycled").Text());
        Assert.Null(review.QuerySelector("#workflow-recycle"));
        Assert.DoesNotContain(title, (await reporter.GetPageAsync("/admin/articles")).Body!.TextContent);
        Assert.DoesNotContain(title, (await reporter.GetPageAsync("/admin")).Body!.TextContent);
        Assert.DoesNotContain(title, (await reporter.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("猕猴桃基地"))).Body!.TextContent);

        var bin = await reporter.GetPageAsync("/admin/recycle-bin");
        Assert.Equal("", bin.QuerySelector(".validation-summary").Text()); // "page" is a route value too: no stray binding error
        var row = bin.QuerySelector($"#bin-{id}")!;
        Assert.Contains(title, row.Text());
        Assert.Contains("reporter", row.Text()); // who deleted it
        Assert.Contains("30 天", row.Text());
        Assert.Null(row.QuerySelector($"#purge-{id}")); // 永久删除 is not a reporter's

        using var restored = await reporter.SubmitFormAsync("/admin/recycle-bin", $"#restore-{id}", []);
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal(ArticleStatus.Draft, await StatusOfAsync(id));
        Assert.Contains("已恢复", (await reporter.GetPageAsync("/admin/recycle-bin")).QuerySelector(".flash").Text());
        Assert.Contains(title, (await reporter.GetPageAsync("/admin/articles")).Body!.TextContent);
        var actions = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.Workflow(ReviewAction.Recycle), actions);
        Assert.Contains(AuditActions.Workflow(ReviewAction.Restore), actions);
    }

    [Fact]
    public async Task Recycle_AnotherReportersDraft_IsNeitherShownNorDone()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        var id = await _factory.CreateDraftAsync("reporter@example.com", "别人的草稿");
        var other = await _factory.SignInAsync("reporter2@example.com");

        await other.GetPageAsync($"/admin/articles/{id}", 404);
        using var forced = await other.ForcedStepAsync(_factory, id, "Recycle", tokenPage: "/admin/articles");

        Assert.Equal(HttpStatusCode.NotFound, forced.StatusCode);
        Assert.Equal(ArticleStatus.Draft, await StatusOfAsync(id));
    }

    [Fact]
    public async Task Recycle_PublishedReport_IsRefused_WithdrawIsOffered()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var id = await PublishedAsync("已发布的协作报道");
        var editor = await _factory.SignInAsync("editor@example.com");

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Null(review.QuerySelector("#workflow-recycle"));
        Assert.NotNull(review.QuerySelector("#workflow-withdraw"));
        using var forced = await editor.ForcedStepAsync(_factory, id, "Recycle");

        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Contains("读者看到过的稿件不能删除，只能撤稿", (await forced.ReadPageAsync()).Body!.TextContent);
        Assert.Equal(ArticleStatus.Published, await StatusOfAsync(id));
    }

    [Fact]
    public async Task Purge_AfterThirtyDays_DeletesTheReportWithItsHistoryAndSearchEntry_NotBefore()
    {
        const string title = "湘西职业学校培训计划草案";
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var id = await _factory.CreateDraftAsync("reporter@example.com", title);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        await reporter.StepOkAsync(id, "recycle");

        _factory.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await Purger().PurgeDueAsync(CancellationToken.None));
        reporter = await _factory.SignInAsync("reporter@example.com"); // the sign-in of a month ago has expired
        Assert.Contains("1 天", (await reporter.GetPageAsync("/admin/recycle-bin")).QuerySelector($"#bin-{id}").Text());

        _factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Purger().PurgeDueAsync(CancellationToken.None));
        reporter = await _factory.SignInAsync("reporter@example.com");

        Assert.False(await _factory.WithDbAsync(db => db.Articles.AnyAsync(a => a.Id == id)));
        Assert.False(await _factory.WithDbAsync(db => db.Set<ArticleReview>().AnyAsync(r => r.ArticleId == id)));
        var purged = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ArticlePurged));
        Assert.Equal((RecycleBinService.SystemUserName, $"article:{id}"), (purged.UserName, purged.Target));
        Assert.Contains(title, purged.Details);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PovertyNews.Web.Data.NewsDbContext>();
        Assert.True((await scope.ServiceProvider.GetRequiredService<ISearchIndex>().CountAsync(db, CancellationToken.None)).Consistent);
        Assert.Null((await reporter.GetPageAsync("/admin/recycle-bin")).QuerySelector($"#bin-{id}"));
        await reporter.GetPageAsync($"/admin/articles/{id}", 404);
    }

    [Fact]
    public async Task PurgeNow_ForAdministrators_NotForEditors()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var id = await _factory.CreateDraftAsync("editor@example.com", "要永久删除的草稿");
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.StepOkAsync(id, "recycle");

        var editorBin = await editor.GetPageAsync("/admin/recycle-bin");
        Assert.NotNull(editorBin.QuerySelector($"#restore-{id}"));
        Assert.Null(editorBin.QuerySelector($"#purge-{id}"));
        var token = editorBin.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var refused = await editor.PostAsync("/admin/recycle-bin?handler=Purge", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Id"] = id.ToString(),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(RecycleBinService.PurgeRefusal, (await refused.ReadPageAsync()).Body!.TextContent);

        var admin = await _factory.SignInAsync("admin@example.com");
        var adminBin = await admin.GetPageAsync("/admin/recycle-bin");
        Assert.Null(adminBin.QuerySelector($"#restore-{id}")); // an administrator changes no report
        using var purged = await admin.SubmitFormAsync("/admin/recycle-bin", $"#purge-{id}", []);

        Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        Assert.False(await _factory.WithDbAsync(db => db.Articles.AnyAsync(a => a.Id == id)));
        Assert.Contains("已永久删除", (await admin.GetPageAsync("/admin/recycle-bin")).QuerySelector(".flash").Text());
    }
}
