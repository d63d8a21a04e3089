using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 下线时间: at its minute a published report leaves every public list and its page answers 410 with a notice that is
/// not a withdrawal's, whether or not the newsroom's job has run; the job then records it and search drops it.
/// The app runs without the job's timer, so each test decides when a pass happens.
/// </summary>
public sealed class OfflineTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private SchedulePublisher Publisher() => ActivatorUtilities.CreateInstance<SchedulePublisher>(_app.Services);

    private HttpClient Reader() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(int Id, HttpClient Editor)> PublishedAsync(string title)
    {
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("editor2@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
        var id = await _app.CreateDraftAsync("reporter@example.com", title);
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass");
        var editor = await _app.SignInToAsync("editor@example.com");
        await editor.StepOkAsync(id, "publish");
        return (id, editor);
    }

    private static async Task<string> TextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task OfflineTime_ReportLeavesEveryPublicListAtItsMinute_Answers410_ThenTheJobRecordsIt()
    {
        const string title = "湘西州茶旅融合示范项目通过验收";
        var (id, editor) = await PublishedAsync(title);
        var at = WorkflowSteps.FormatChinaLocal(Now.AddHours(2));
        var offlineUtc = WorkflowSteps.ParseChinaLocal(at)!.Value;

        await editor.StepOkAsync(id, "setoffline", at: at);

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains(ChinaTime.FormatDateTime(offlineUtc), review.QuerySelector(".flash").Text());
        Assert.Contains($"定于 {ChinaTime.FormatDateTime(offlineUtc)}", review.QuerySelector("#article-offline").Text());
        var reader = Reader();
        // Before the minute: everywhere, and the pages are cached as they are.
        Assert.Equal(title, (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text());
        Assert.Contains(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        Assert.Contains(title, (await reader.GetPageAsync("/channels/xiezuo")).Body!.TextContent);
        Assert.Contains(title, await TextAsync(reader, "/feed.xml"));
        Assert.Contains($"/articles/{id}", await TextAsync(reader, "/sitemap.xml"));
        Assert.Contains(title, (await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("茶旅融合"))).Body!.TextContent);

        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        // At the minute, before any job: gone from the lists, the page says so with 410 (and not as a withdrawal).
        var gone = await reader.GetPageAsync($"/articles/{id}", 410);
        Assert.Equal("该稿件已下线", gone.QuerySelector("h1").Text());
        Assert.Contains(ChinaTime.FormatDateTime(offlineUtc), gone.QuerySelector(".notice__text").Text());
        Assert.DoesNotContain("撤", gone.QuerySelector(".notice").Text());
        Assert.Equal("noindex", gone.QuerySelector("meta[name=robots]")?.GetAttribute("content")?.Split(',')[0].Trim());
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/channels/xiezuo")).Body!.TextContent);
        Assert.DoesNotContain(title, await TextAsync(reader, "/feed.xml"));
        Assert.DoesNotContain($"/articles/{id}", await TextAsync(reader, "/sitemap.xml"));

        Assert.Equal(1, await Publisher().TakeOfflineDueAsync(CancellationToken.None));
        Assert.Equal(0, await Publisher().TakeOfflineDueAsync(CancellationToken.None)); // once

        var state = await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id)
            .Select(a => new { a.Status, a.OfflineAt, a.WentOfflineAt }).SingleAsync());
        Assert.Equal(ArticleStatus.Published, state.Status); // not a withdrawal: the status stays
        Assert.Equal(offlineUtc, state.OfflineAt);
        Assert.NotNull(state.WentOfflineAt);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("茶旅融合"))).Body!.TextContent);
        // Staff still find it, and see that it is offline.
        Assert.Contains(title, (await editor.GetPageAsync("/admin/search?q=" + Uri.EscapeDataString("茶旅融合"))).Body!.TextContent);
        review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains($"已于 {ChinaTime.FormatDateTime(offlineUtc)}", review.QuerySelector("#article-offline").Text());
        var history = review.QuerySelector(".review-history").Text();
        Assert.Contains("设定下线时间", history);
        Assert.Contains("到时下线", history);
        var audit = await _app.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderBy(e => e.Id)
            .Select(e => new { e.Action, e.UserName }).ToListAsync());
        Assert.Equal(AuditActions.Workflow(ReviewAction.SetOffline), audit[^2].Action);
        Assert.Equal(AuditActions.Workflow(ReviewAction.WentOffline), audit[^1].Action);
        Assert.Equal(SchedulePublisher.OfflineUserName, audit[^1].UserName);
    }

    [Fact]
    public async Task CancelOffline_AfterItWentOffline_BringsTheReportBack()
    {
        const string title = "凤凰古城民宿协会成立";
        var (id, editor) = await PublishedAsync(title);
        await editor.StepOkAsync(id, "setoffline", at: WorkflowSteps.FormatChinaLocal(Now.AddMinutes(30)));
        _factory.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await Publisher().TakeOfflineDueAsync(CancellationToken.None));
        var reader = Reader();
        await reader.GetPageAsync($"/articles/{id}", 410);

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("重新上线", review.QuerySelector("#workflow-canceloffline button")!.Text().Trim());
        await editor.StepOkAsync(id, "canceloffline");

        Assert.Equal(title, (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text());
        Assert.Contains(title, (await reader.GetPageAsync("/channels/xiezuo")).Body!.TextContent);
        Assert.Contains(title, (await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("民宿协会"))).Body!.TextContent);
        var state = await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => new { a.OfflineAt, a.WentOfflineAt }).SingleAsync());
        Assert.Null(state.OfflineAt);
        Assert.Null(state.WentOfflineAt);
        Assert.Contains("现重新上线", (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector(".review-history").Text());
    }

    [Fact]
    public async Task OfflineTime_InThePastOrUnreadable_IsRefusedWithAMessage()
    {
        var (id, editor) = await PublishedAsync("时间填错的下线");

        using var past = await editor.StepAsync(id, "setoffline", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(-1)));
        using var unreadable = await editor.StepAsync(id, "setoffline", at: "下周");

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("下线时间须晚于现在。", await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains(WorkflowService.OfflineTimeMessage, await unreadable.Content.ReadAsStringAsync());
        Assert.Null(await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.OfflineAt).SingleAsync()));
    }

    [Fact]
    public async Task Reporter_IsNotOfferedAndCannotForceTheOfflineTime()
    {
        var (id, _) = await PublishedAsync("记者不能下线的稿件");
        var reporter = await _app.SignInToAsync("reporter@example.com");

        Assert.Null((await reporter.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-setoffline"));
        using var forced = await reporter.ForcedStepAsync(_app, id, "setoffline");

        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Null(await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.OfflineAt).SingleAsync()));
    }

    [Fact]
    public async Task Reschedule_PastTheOfflineTime_IsRefused()
    {
        var (id, editor) = await PublishedAsync("先定时再下线");
        // A second report, scheduled, then given an offline time before which it must stay.
        var scheduled = await _app.CreateDraftAsync("reporter@example.com", "定时稿件");
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(scheduled, "submit");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(scheduled, "pass");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(scheduled, "pass");
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(scheduled, "pass");
        await editor.StepOkAsync(scheduled, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(1)));
        await editor.StepOkAsync(scheduled, "setoffline", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(3)));

        using var late = await editor.StepAsync(scheduled, "reschedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(4)));

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("新的发布时间须早于下线时间", await late.Content.ReadAsStringAsync());
        Assert.NotEqual(0, id);
    }
}
