using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 禁发: a time before which a report may not go out, with a note, set on the review page by whoever may edit the
/// report; shown to staff on the review and edit pages, never to readers; publishing and scheduling before it refused.
/// </summary>
public sealed class EmbargoTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private const string Note = "国务院新闻办发布会结束后方可发布";

    private async Task<int> DraftAsync(string title)
    {
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("reporter2@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("editor2@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
        return await _app.CreateDraftAsync("reporter@example.com", title);
    }

    private async Task ApproveAsync(int id)
    {
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass");
    }

    private Task<Article> ArticleAsync(int id) => _app.WithDbAsync(db => db.Articles.AsNoTracking().SingleAsync(a => a.Id == id));

    [Fact]
    public async Task ReporterSetsEmbargoOnOwnDraft_StaffSeeIt_PublishingBeforeItIsRefused_AfterItGoesOut()
    {
        const string title = "东西部协作项目签约仪式将于周五举行";
        var id = await DraftAsync(title);
        var reporter = await _app.SignInToAsync("reporter@example.com");
        var at = WorkflowSteps.FormatChinaLocal(Now.AddHours(3));
        var until = WorkflowSteps.ParseChinaLocal(at)!.Value;

        await reporter.StepOkAsync(id, "setembargo", note: Note, at: at);

        var review = await reporter.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains($"禁发至 {ChinaTime.FormatDateTime(until)}", review.QuerySelector("#article-embargo").Text());
        Assert.Contains(Note, review.QuerySelector("#article-embargo").Text());
        Assert.Contains("设定禁发", review.QuerySelector(".flash").Text());
        var edit = await reporter.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Contains(Note, edit.QuerySelector("#embargo-notice").Text());
        var list = await reporter.GetPageAsync("/admin/articles");
        Assert.Contains($"禁发至 {ChinaTime.FormatDateTime(until)}", list.QuerySelector(".embargo-badge")!.Text());

        await ApproveAsync(id);
        var editor = await _app.SignInToAsync("editor@example.com");
        using var now = await editor.StepAsync(id, "publish");
        using var early = await editor.StepAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(2)));

        Assert.Equal(HttpStatusCode.BadRequest, now.StatusCode);
        Assert.Contains($"稿件禁发至 {ChinaTime.FormatDateTime(until)}（{Note}），不能在此之前发布。", await now.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(ArticleStatus.Approved, (await ArticleAsync(id)).Status);

        // At the embargo's minute it may be scheduled; readers never see the note.
        await editor.StepOkAsync(id, "schedule", at: at);
        using var reschedule = await editor.StepAsync(id, "reschedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(1)));
        Assert.Equal(HttpStatusCode.BadRequest, reschedule.StatusCode);
        using var publishNow = await editor.StepAsync(id, "publishnow");
        Assert.Equal(HttpStatusCode.BadRequest, publishNow.StatusCode);
        _factory.Clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}");
        Assert.Equal(title, page.QuerySelector("h1").Text());
        Assert.DoesNotContain(Note, page.DocumentElement.OuterHtml);
        Assert.DoesNotContain("禁发", page.DocumentElement.OuterHtml);
        // Past its minute the embargo is no longer shown as holding anything.
        Assert.Null((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#article-embargo"));
    }

    [Fact]
    public async Task LiftingTheEmbargo_LetsTheReportGoOutAtOnce_AndBothStepsAreInTheHistory()
    {
        var id = await DraftAsync("湘西州特色产业发展报告发布");
        await ApproveAsync(id);
        var editor = await _app.SignInToAsync("editor@example.com");
        await editor.StepOkAsync(id, "setembargo", at: WorkflowSteps.FormatChinaLocal(Now.AddDays(1)));
        using var refused = await editor.StepAsync(id, "publish");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        await editor.StepOkAsync(id, "liftembargo");
        await editor.StepOkAsync(id, "publish");

        var article = await ArticleAsync(id);
        Assert.Equal(ArticleStatus.Published, article.Status);
        Assert.Null(article.EmbargoUntil);
        var actions = await _app.WithDbAsync(db => db.ArticleReviews.Where(r => r.ArticleId == id).OrderBy(r => r.Id).Select(r => r.Action).ToListAsync());
        Assert.Equal([ReviewAction.SetEmbargo, ReviewAction.LiftEmbargo, ReviewAction.Publish], actions[^3..]);
        var audit = await _app.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").Select(e => e.Details ?? "").ToListAsync());
        Assert.Contains(audit, d => d.StartsWith("设定禁发：禁发至"));
        Assert.Contains(audit, d => d.StartsWith("解除禁发"));
        // Published: no embargo form any more.
        Assert.Null((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-setembargo"));
    }

    [Fact]
    public async Task ScheduledBeforeTheEmbargo_IsRefusedUntilRescheduled()
    {
        var id = await DraftAsync("协作产业园开园");
        await ApproveAsync(id);
        var editor = await _app.SignInToAsync("editor@example.com");
        await editor.StepOkAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(2)));

        using var late = await editor.StepAsync(id, "setembargo", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(5)));

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("早于禁发时间；请先改期", await late.Content.ReadAsStringAsync());
        Assert.Null((await ArticleAsync(id)).EmbargoUntil);
        await editor.StepOkAsync(id, "reschedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(6)));
        await editor.StepOkAsync(id, "setembargo", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(5)));
        Assert.NotNull((await ArticleAsync(id)).EmbargoUntil);
    }

    [Fact]
    public async Task WhoMayNotEdit_IsOfferedNoEmbargo_AndAForcedPostChangesNothing()
    {
        var id = await DraftAsync("他人的草稿");
        var other = await _app.SignInToAsync("reporter2@example.com");
        var reporter = await _app.SignInToAsync("reporter@example.com");

        using var stranger = await other.ForcedStepAsync(_app, id, "SetEmbargo", tokenPage: "/admin");
        // Submitted, the report is the editors' to handle: its reporter sees it but no longer edits it.
        await reporter.StepOkAsync(id, "submit");
        Assert.Null((await reporter.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-setembargo"));
        using var owner = await reporter.ForcedStepAsync(_app, id, "SetEmbargo");

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode); // another's draft is not even shown
        Assert.Equal(HttpStatusCode.Forbidden, owner.StatusCode);
        Assert.Null((await ArticleAsync(id)).EmbargoUntil);
    }

    [Fact]
    public async Task PastOrUnreadableTime_AndOverlongNote_Answer400WithTheReason()
    {
        var id = await DraftAsync("禁发时间校验");
        var reporter = await _app.SignInToAsync("reporter@example.com");

        using var past = await reporter.StepAsync(id, "setembargo", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(-1)));
        using var unreadable = await reporter.StepAsync(id, "setembargo", at: "发布会后");
        using var longNote = await reporter.StepAsync(id, "setembargo", note: new string('说', 501), at: WorkflowSteps.FormatChinaLocal(Now.AddHours(1)));

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("禁发时间须晚于现在。", await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains(PovertyNews.Web.Newsroom.Publishing.WorkflowService.EmbargoTimeMessage, await unreadable.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, longNote.StatusCode);
        Assert.Null((await ArticleAsync(id)).EmbargoUntil);
    }
}
