using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 改期, 取消定时 and 立即发布 of a scheduled report, and 退回草稿 of one withdrawn before readers saw it, through the
/// review page's real forms. The app runs without the publishing job's timer, so the clock alone decides what readers see.
/// </summary>
public sealed class ScheduleControlsTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private static readonly string[] ScheduleForms = ["#workflow-publishnow", "#workflow-reschedule", "#workflow-cancelschedule"];

    private async Task UsersAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
    }

    /// <summary>Submitted, passed at three levels and scheduled by the editor for <paramref name="hours"/> from now, all through the forms.</summary>
    private async Task<(int Id, HttpClient Editor, DateTime At)> ScheduledAsync(string title, int hours = 2)
    {
        var id = await _factory.CreateDraftAsync("reporter@example.com", title);
        await (await _factory.SignInAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("chief@example.com")).StepOkAsync(id, "pass");
        var editor = await _factory.SignInAsync("editor@example.com");
        var at = WorkflowSteps.FormatChinaLocal(Now.AddHours(hours));
        await editor.StepOkAsync(id, "schedule", at: at);
        return (id, editor, WorkflowSteps.ParseChinaLocal(at)!.Value);
    }

    private Task<(ArticleStatus Status, DateTime? PublishedAt)> StateAsync(int id) =>
        _factory.WithDbAsync(async db =>
        {
            // Projected to an anonymous type: Npgsql reads a tuple projected in SQL as a record, which it does not map.
            var row = await db.Articles.Where(a => a.Id == id).Select(a => new { a.Status, a.PublishedAt }).SingleAsync();
            return (row.Status, row.PublishedAt);
        });

    private Task<List<(string Action, string? Details)>> AuditAsync(int id) =>
        _factory.WithDbAsync(async db => (await db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderBy(e => e.Id)
            .Select(e => new { e.Action, e.Details }).ToListAsync()).Select(e => (e.Action, e.Details)).ToList());

    private Task<int> PublishDueAsync() =>
        ActivatorUtilities.CreateInstance<SchedulePublisher>(_factory.Services).PublishDueAsync(CancellationToken.None);

    [Fact]
    public async Task Reschedule_TheReportAppearsAtTheNewTimeNotTheOld()
    {
        await UsersAsync();
        const string title = "十八洞村改期发布的报道";
        var (id, editor, oldAt) = await ScheduledAsync(title);
        var newLocal = WorkflowSteps.FormatChinaLocal(Now.AddHours(5));
        var newAt = WorkflowSteps.ParseChinaLocal(newLocal)!.Value;
        var form = (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-reschedule")!;
        Assert.Equal("新的发布时间（北京时间）", form.QuerySelector("label[for=reschedule-at]").Text());
        Assert.Equal(WorkflowSteps.FormatChinaLocal(oldAt), form.QuerySelector("#reschedule-at")!.GetAttribute("value"));

        await editor.StepOkAsync(id, "reschedule", at: newLocal);

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal($"已改期：{ChinaTime.FormatDateTime(newAt)}（北京时间）发布。", review.QuerySelector(".flash").Text());
        Assert.Contains(ChinaTime.FormatDateTime(newAt), review.QuerySelector(".review-bar__due").Text());
        Assert.Contains("改期", review.QuerySelectorAll(".review-history tbody tr").Last().Text());
        var reader = _factory.CreateReader();
        _factory.Clock.Advance(TimeSpan.FromHours(3));
        await reader.GetPageAsync($"/articles/{id}", 404);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        Assert.Equal(0, await PublishDueAsync());

        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        Assert.Equal(title, (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text());
        Assert.Contains(title, (await reader.GetPageAsync("/")).QuerySelector(".latest").Text());
        Assert.Equal((ArticleStatus.Scheduled, newAt), await StateAsync(id));
        Assert.Equal((AuditActions.Workflow(ReviewAction.Reschedule),
            $"改期：由 {ChinaTime.FormatDateTime(oldAt)} 改为 {ChinaTime.FormatDateTime(newAt)}"), (await AuditAsync(id))[^1]);
    }

    [Fact]
    public async Task Reschedule_ToAPastOrUnreadableTime_IsRefusedWithAMessage()
    {
        await UsersAsync();
        var (id, editor, at) = await ScheduledAsync("改期时间填错的稿件");
        var audit = (await AuditAsync(id)).Count;

        using var past = await editor.StepAsync(id, "reschedule", at: WorkflowSteps.FormatChinaLocal(Now.AddMinutes(-30)));
        using var unreadable = await editor.StepAsync(id, "reschedule", at: "后天");
        using var empty = await editor.StepAsync(id, "reschedule", at: "");

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("改期的时间须晚于现在。", await past.Content.ReadAsStringAsync());
        foreach (var response in new[] { unreadable, empty })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(WorkflowService.ScheduleTimeMessage, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal((ArticleStatus.Scheduled, at), await StateAsync(id));
        Assert.Equal(audit, (await AuditAsync(id)).Count);
    }

    [Fact]
    public async Task CancelSchedule_BackToApprovedAndNeverAppearsAtTheOldTime()
    {
        await UsersAsync();
        const string title = "取消定时的报道";
        var (id, editor, oldAt) = await ScheduledAsync(title);

        await editor.StepOkAsync(id, "cancelschedule");

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("已取消定时。", review.QuerySelector(".flash").Text());
        Assert.Equal("已终审 · 待发布", review.QuerySelector("#article-status").Text());
        Assert.Null(review.QuerySelector(".review-bar__due"));
        Assert.NotNull(review.QuerySelector("#workflow-publish"));
        Assert.NotNull(review.QuerySelector("#workflow-schedule"));
        Assert.All(ScheduleForms, f => Assert.Null(review.QuerySelector(f)));
        _factory.Clock.Advance(TimeSpan.FromHours(3));
        var reader = _factory.CreateReader();
        await reader.GetPageAsync($"/articles/{id}", 404);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        Assert.Equal(0, await PublishDueAsync());
        Assert.Equal((ArticleStatus.Approved, null), await StateAsync(id));
        Assert.Equal("已终审 · 待发布", (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#article-status").Text());
        Assert.Equal((AuditActions.Workflow(ReviewAction.CancelSchedule), $"取消定时：原定 {ChinaTime.FormatDateTime(oldAt)}"),
            (await AuditAsync(id))[^1]);
    }

    [Fact]
    public async Task PublishNow_ReadersSeeItOnTheNextRequest()
    {
        await UsersAsync();
        const string title = "提前发布的报道";
        var (id, editor, oldAt) = await ScheduledAsync(title, hours: 24);
        var reader = _factory.CreateReader();
        await reader.GetPageAsync($"/articles/{id}", 404);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        var publishedAt = Now;

        await editor.StepOkAsync(id, "publishnow");

        Assert.Equal(title, (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text());
        Assert.Contains(title, (await reader.GetPageAsync("/")).QuerySelector(".latest").Text());
        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("已立即发布。", review.QuerySelector(".flash").Text());
        Assert.Equal("已发布", review.QuerySelector("#article-status").Text());
        Assert.NotNull(review.QuerySelector("#public-link"));
        Assert.All(ScheduleForms, f => Assert.Null(review.QuerySelector(f)));
        Assert.Equal((ArticleStatus.Published, publishedAt), await StateAsync(id));
        Assert.Equal((AuditActions.Workflow(ReviewAction.PublishNow), $"立即发布：原定 {ChinaTime.FormatDateTime(oldAt)}"),
            (await AuditAsync(id))[^1]);
    }

    [Fact]
    public async Task ScheduleControls_OnceTheMinuteHasCome_AreNoLongerOfferedAndAForcedPostIsRefused()
    {
        await UsersAsync();
        var (id, editor, at) = await ScheduledAsync("已到时的定时稿件");
        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.All(ScheduleForms, f => Assert.Null(review.QuerySelector(f)));
        Assert.NotNull(review.QuerySelector("#workflow-withdraw"));
        using var forced = await editor.ForcedStepAsync(_factory, id, "CancelSchedule");

        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Contains("读者已能看到", await forced.Content.ReadAsStringAsync());
        Assert.Equal((ArticleStatus.Scheduled, at), await StateAsync(id));
    }

    [Fact]
    public async Task Reporter_IsNotOfferedTheScheduleControls_AndForcedPostsAreRefused()
    {
        await UsersAsync();
        var (id, _, at) = await ScheduledAsync("记者自己的定时稿件");
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var review = await reporter.GetPageAsync($"/admin/articles/{id}");

        Assert.Null(review.QuerySelector("form[id^=workflow-]"));
        foreach (var handler in new[] { "PublishNow", "Reschedule", "CancelSchedule" })
        {
            using var forced = await reporter.ForcedStepAsync(_factory, id, handler);
            Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        }
        Assert.Equal((ArticleStatus.Scheduled, at), await StateAsync(id));
    }

    [Fact]
    public async Task WithdrawnWhileScheduled_GoesBackToDraftAndCanBeSubmittedAgain()
    {
        await UsersAsync();
        const string title = "定时后撤下再改写的报道";
        var (id, editor, _) = await ScheduledAsync(title);
        await editor.StepOkAsync(id, "withdraw", "时效已过");
        var reporter = await _factory.SignInAsync("reporter@example.com");
        Assert.Null((await reporter.GetPageAsync($"/admin/articles/{id}")).QuerySelector("form[id^=workflow-]"));
        using (var forced = await reporter.ForcedStepAsync(_factory, id, "ReturnToDraft"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        }
        var form = (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-returntodraft")!;
        Assert.Equal("说明（可选）", form.QuerySelector("label[for=returntodraft-note]").Text());

        await editor.StepOkAsync(id, "returntodraft", "改写后重新送审");

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal("已退回草稿。", review.QuerySelector(".flash").Text());
        Assert.Equal("草稿", review.QuerySelector("#article-status").Text());
        Assert.Null(review.QuerySelector(".workflow-note--withdrawn"));
        Assert.Contains("撤稿", review.QuerySelector(".review-history").Text());
        Assert.Equal((ArticleStatus.Draft, 0), await _factory.StatusAsync(id));
        Assert.Null((await StateAsync(id)).PublishedAt);
        Assert.Equal((AuditActions.Workflow(ReviewAction.ReturnToDraft), "退回草稿：改写后重新送审"), (await AuditAsync(id))[^1]);
        // Never public, now a draft: not found rather than gone.
        await _factory.CreateReader().GetPageAsync($"/articles/{id}", 404);
        Assert.NotNull((await reporter.GetPageAsync($"/admin/articles/{id}")).QuerySelector("a[href$='/edit']"));

        await reporter.StepOkAsync(id, "submit");

        Assert.Equal("待初审", (await reporter.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#article-status").Text());
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(id));
    }

    [Fact]
    public async Task WithdrawnAfterReadersSawIt_CannotGoBackToDraft()
    {
        await UsersAsync();
        var (id, editor, _) = await ScheduledAsync("读者看过后撤下的报道");
        await editor.StepOkAsync(id, "publishnow");
        await editor.StepOkAsync(id, "withdraw", "来源方要求撤回");

        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Null(review.QuerySelector("form[id^=workflow-]"));
        Assert.Equal("这篇稿件现在没有您可以进行的操作。", review.QuerySelector(".workflow-actions .field-hint").Text());
        using var forced = await editor.ForcedStepAsync(_factory, id, "ReturnToDraft");

        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Contains("这篇稿件曾向读者发布，撤稿后不能退回草稿。", await forced.Content.ReadAsStringAsync());
        await _factory.CreateReader().GetPageAsync($"/articles/{id}", 410);
        Assert.Equal(ArticleStatus.Withdrawn, (await StateAsync(id)).Status);
    }
}
