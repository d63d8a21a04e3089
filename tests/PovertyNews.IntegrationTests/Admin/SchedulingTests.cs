using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 定时发布: readers see a scheduled article from its minute on, whether or not the publishing job has run; the job
/// then records it as published at the scheduled time. The app here runs without the job's timer, so each test
/// decides when a pass happens.
/// </summary>
public sealed class SchedulingTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private SchedulePublisher Publisher() => ActivatorUtilities.CreateInstance<SchedulePublisher>(_app.Services);

    private async Task UsersAsync()
    {
        // The app runs without the job's timer (NoSchedulePublisherApp): each test runs a pass when it wants one.
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("editor2@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
    }

    /// <summary>Submitted by the reporter and passed by two editors and the editor-in-chief, all through the forms.</summary>
    private async Task<int> ApprovedAsync(string title)
    {
        var id = await _app.CreateDraftAsync("reporter@example.com", title);
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass", "初审同意");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass", "复审同意");
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass", "同意发布");
        return id;
    }

    private Task<(ArticleStatus Status, DateTime? PublishedAt)> StateAsync(int id) =>
        _app.WithDbAsync(async db =>
        {
            // Projected to an anonymous type: Npgsql reads a tuple projected in SQL as a record, which it does not map.
            var row = await db.Articles.Where(a => a.Id == id).Select(a => new { a.Status, a.PublishedAt }).SingleAsync();
            return (row.Status, row.PublishedAt);
        });

    [Fact]
    public async Task ThreeLevelPath_ScheduledArticleAppearsAtItsMinuteWithoutTheJob_ThenTheJobRecordsIt()
    {
        await UsersAsync();
        const string title = "十八洞村猕猴桃产业新进展";
        var id = await ApprovedAsync(title);
        var editor = await _app.SignInToAsync("editor@example.com");
        var at = WorkflowSteps.FormatChinaLocal(Now.AddHours(2));
        var scheduledUtc = WorkflowSteps.ParseChinaLocal(at)!.Value;

        await editor.StepOkAsync(id, "schedule", at: at);

        Assert.Equal((ArticleStatus.Scheduled, scheduledUtc), await StateAsync(id));
        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains(ChinaTime.FormatDateTime(scheduledUtc), review.QuerySelector(".flash").Text());
        Assert.Contains(ChinaTime.FormatDateTime(scheduledUtc), review.QuerySelector(".review-bar__due").Text());
        var reader = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await reader.GetPageAsync($"/articles/{id}", 404);
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);

        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        Assert.Contains(title, (await reader.GetPageAsync("/")).QuerySelector(".latest").Text());
        Assert.Equal(title, (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text());
        Assert.Equal(ArticleStatus.Scheduled, (await StateAsync(id)).Status);

        Assert.Equal(1, await Publisher().PublishDueAsync(CancellationToken.None));

        Assert.Equal((ArticleStatus.Published, scheduledUtc), await StateAsync(id));
        var history = (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector(".review-history").Text();
        foreach (var step in new[] { "送审", "初审通过", "复审通过", "终审通过", "定时发布", "到时发布" })
        {
            Assert.Contains(step, history);
        }
        var audit = await _app.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderBy(e => e.Id)
            .Select(e => new { e.Action, e.UserName }).ToListAsync());
        Assert.Equal(AuditActions.Workflow(ReviewAction.PublishedOnSchedule), audit[^1].Action);
        Assert.Equal(SchedulePublisher.SystemUserName, audit[^1].UserName);
        Assert.Equal(6, audit.Count);
        // The three passes, the scheduling and the job's release all name the same text for the 稿签.
        var text = await _app.WithDbAsync(async db => ApprovalText.Of(await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id)).Sha256());
        var stamped = await _app.WithDbAsync(db => db.ArticleReviews.Where(r => r.ArticleId == id && r.TextSha256 != null)
            .OrderBy(r => r.Id).Select(r => new { r.Action, r.TextSha256 }).ToListAsync());
        Assert.Equal([ReviewAction.Pass, ReviewAction.Pass, ReviewAction.Pass, ReviewAction.Schedule, ReviewAction.PublishedOnSchedule],
            stamped.Select(r => r.Action));
        Assert.All(stamped, r => Assert.Equal(text, r.TextSha256));
    }

    [Fact]
    public async Task PublishDue_LeavesArticlesThatAreNotDueAlone()
    {
        await UsersAsync();
        var id = await ApprovedAsync("尚未到时的稿件");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddDays(1)));

        Assert.Equal(0, await Publisher().PublishDueAsync(CancellationToken.None));

        Assert.Equal(ArticleStatus.Scheduled, (await StateAsync(id)).Status);
    }

    [Fact]
    public async Task Schedule_InThePastOrUnreadable_IsRefusedWithTheFormAgain()
    {
        await UsersAsync();
        var id = await ApprovedAsync("时间填错的稿件");
        var editor = await _app.SignInToAsync("editor@example.com");

        using var past = await editor.StepAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(-1)));
        using var unreadable = await editor.StepAsync(id, "schedule", at: "明天上午");

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("定时发布的时间须晚于现在。", await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("请填写正确的定时发布时间", await unreadable.Content.ReadAsStringAsync());
        Assert.Equal(ArticleStatus.Approved, (await StateAsync(id)).Status);
    }

    [Theory]
    [InlineData("0001-01-01T00:00")]
    [InlineData("0001-01-01T07:59")]
    [InlineData("9999-12-31T23:59")]
    [InlineData("+10000-01-01T00:00")]
    [InlineData("99999-01-01T00:00")]
    public async Task Schedule_AtTheEdgesOfTheCalendar_IsRefusedNot500(string at)
    {
        await UsersAsync();
        var id = await ApprovedAsync("时间超出范围的稿件");
        var editor = await _app.SignInToAsync("editor@example.com");

        using var response = await editor.StepAsync(id, "schedule", at: at);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("定时发布", await response.Content.ReadAsStringAsync());
        Assert.Equal(ArticleStatus.Approved, (await StateAsync(id)).Status);
    }

    [Fact]
    public async Task ScheduledArticleWithdrawnBeforeItsTime_NeverAppears()
    {
        await UsersAsync();
        const string title = "定时后撤下的稿件";
        var id = await ApprovedAsync(title);
        var editor = await _app.SignInToAsync("editor@example.com");
        await editor.StepOkAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(1)));
        await editor.StepOkAsync(id, "withdraw", "时效已过");

        _factory.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await Publisher().PublishDueAsync(CancellationToken.None));
        var reader = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.DoesNotContain(title, (await reader.GetPageAsync("/")).Body!.TextContent);
        await reader.GetPageAsync($"/articles/{id}", 410);
        Assert.Equal(ArticleStatus.Withdrawn, (await StateAsync(id)).Status);
    }

    [Fact]
    public async Task ABlockedWordListedAfterScheduling_HoldsTheReportBackBeforeItsMinute_AndReadersNeverSeeIt()
    {
        await UsersAsync();
        await _app.CreateUserInAsync("admin2@example.com", NewsRoles.Administrator);
        const string title = "定时后被拦下的稿件";
        var id = await ApprovedAsync(title);
        var editor = await _app.SignInToAsync("editor@example.com");
        await _app.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.SetBody("正文里有违禁品三个字。", "<p>正文里有违禁品三个字。</p>");
            await db.SaveChangesAsync();
            return 0;
        });
        await editor.StepOkAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddMinutes(2)));
        await (await _app.SignInToAsync("admin2@example.com")).AddWordAsync("违禁品", "Block");

        // The job screens what falls due within two of its intervals (20 s each): a minute ahead, nothing yet.
        Assert.Equal(0, await Publisher().PublishDueAsync(CancellationToken.None));
        Assert.Equal(ArticleStatus.Scheduled, (await StateAsync(id)).Status);
        _factory.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await Publisher().PublishDueAsync(CancellationToken.None));

        Assert.Equal((ArticleStatus.Approved, null), await StateAsync(id));
        _factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var reader = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await reader.GetPageAsync($"/articles/{id}", 404);
        var history = (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector(".review-history").Text();
        Assert.Contains("到时发布被拦截", history);
        Assert.Contains("违禁品", history);
        Assert.True(await _app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Target == $"article:{id}"
            && e.Action == AuditActions.Workflow(ReviewAction.ScheduleHeld) && e.UserName == SchedulePublisher.SystemUserName)));
    }

    [Fact]
    public async Task AReplaceWordListedAfterScheduling_IsReplacedWhenTheReportFallsDue()
    {
        await UsersAsync();
        await _app.CreateUserInAsync("admin2@example.com", NewsRoles.Administrator);
        var id = await ApprovedAsync("到时替换敏感词的稿件");
        await _app.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.SetBody("正文里有旧称呼三个字。", "<p>正文里有旧称呼三个字。</p>");
            await db.SaveChangesAsync();
            return 0;
        });
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddMinutes(2)));
        await (await _app.SignInToAsync("admin2@example.com")).AddWordAsync("旧称呼", "Replace");
        _factory.Clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(1, await Publisher().PublishDueAsync(CancellationToken.None));

        var body = (await _app.CreateClient().GetPageAsync($"/articles/{id}")).QuerySelector(".article__body").Text();
        Assert.Contains("＊＊＊", body);
        Assert.DoesNotContain("旧称呼", body);
    }
}
