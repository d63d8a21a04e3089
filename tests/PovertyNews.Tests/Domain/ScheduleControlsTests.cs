using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Tests.Domain;

/// <summary>改期, 取消定时, 立即发布 of a scheduled report and 退回草稿 of one withdrawn unseen, as <see cref="Article"/> enforces them.</summary>
public class ScheduleControlsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    private static readonly Actor Reporter = new("u-reporter", "李记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor Editor = new("u-editor", "张编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SecondEditor = new("u-editor2", "赵编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Chief = new("u-chief", "陈总编", new HashSet<string> { NewsRoles.EditorInChief });
    private static readonly Actor Admin = new("u-admin", "管理员", new HashSet<string> { NewsRoles.Administrator });

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Passed at three levels and scheduled for two hours from now (18:00 China time).</summary>
    private Article Scheduled()
    {
        var article = new Article { Slug = "a", Title = "标题", OwnerId = Reporter.UserId };
        article.SetBody("正文", "<p>正文</p>");
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);
        article.Pass(SecondEditor, 3, Now);
        article.Pass(Chief, 3, Now);
        article.Release(Editor, Now, Now.AddHours(2));
        return article;
    }

    private static void Refused(Action step, string message) =>
        Assert.Equal(message, Assert.Throws<WorkflowException>(step).Message);

    [Fact]
    public void Reschedule_MovesTheTimeAndRecordsTheOldAndTheNew()
    {
        var article = Scheduled();
        var at = Now.AddDays(1);

        article.Reschedule(Chief, at, Now);

        Assert.Equal((ArticleStatus.Scheduled, at), (article.Status, article.PublishedAt));
        var record = article.Reviews[^1];
        Assert.Equal((ReviewAction.Reschedule, "u-chief", "由 2026-11-28 18:00 改为 2026-11-29 16:00"), (record.Action, record.UserId, record.Note));
        Assert.False(article.IsVisibleAt(Now.AddHours(3)));
        Assert.True(article.IsVisibleAt(at));
    }

    [Fact]
    public void Reschedule_ToNowOrThePastOrTheSameMinute_IsRefused()
    {
        var article = Scheduled();
        var reviews = article.Reviews.Count;

        Refused(() => article.Reschedule(Editor, Now, Now), "改期的时间须晚于现在。");
        Refused(() => article.Reschedule(Editor, Now.AddMinutes(-5), Now), "改期的时间须晚于现在。");
        Refused(() => article.Reschedule(Editor, Now.AddHours(2).AddSeconds(20), Now), "新的发布时间与原定时间相同。");

        Assert.Equal((ArticleStatus.Scheduled, Now.AddHours(2), reviews), (article.Status, article.PublishedAt, article.Reviews.Count));
    }

    [Fact]
    public void CancelSchedule_GoesBackToApprovedAtTheLevelReachedWithoutATime()
    {
        var article = Scheduled();

        article.CancelSchedule(Editor, Now);

        Assert.Equal((ArticleStatus.Approved, 3, null), (article.Status, article.ReviewLevel, article.PublishedAt));
        Assert.Equal("已终审 · 待发布", WorkflowSteps.StatusLabel(article.Status, article.ReviewLevel));
        Assert.Equal((ReviewAction.CancelSchedule, "原定 2026-11-28 18:00"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        Assert.False(article.IsVisibleAt(Now.AddDays(1)));
        Assert.False(article.CompleteSchedule(Now.AddDays(1)));
        // As before scheduling: it can be released again.
        article.Release(Editor, Now, Now.AddHours(5));
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
    }

    [Fact]
    public void PublishNow_PublishesAtOnceWithNowAsItsTime()
    {
        var article = Scheduled();
        _clock.Advance(TimeSpan.FromMinutes(30));

        article.PublishNow(Editor, Now);

        Assert.Equal((ArticleStatus.Published, Now), (article.Status, article.PublishedAt));
        Assert.True(article.IsVisibleAt(Now));
        Assert.Equal((ReviewAction.PublishNow, "原定 2026-11-28 18:00"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        Assert.False(article.CompleteSchedule(Now.AddHours(3)));
    }

    [Fact]
    public void ScheduleControls_ByReporterOrAdministrator_AreRefused()
    {
        var article = Scheduled();

        foreach (var actor in new[] { Reporter, Admin })
        {
            Refused(() => article.Reschedule(actor, Now.AddDays(1), Now), "您不能改期。");
            Refused(() => article.CancelSchedule(actor, Now), "您不能取消定时发布。");
            Refused(() => article.PublishNow(actor, Now), "您不能发布稿件。");
            Assert.Empty(WorkflowSteps.Offered(article, actor, 3, Now));
        }
        Assert.Equal((ArticleStatus.Scheduled, Now.AddHours(2)), (article.Status, article.PublishedAt));
    }

    [Fact]
    public void ScheduleControls_OnceTheMinuteHasCome_AreRefusedAndNoLongerOffered()
    {
        var article = Scheduled();
        var due = Now.AddHours(2);
        Assert.Equal([WorkflowStep.PublishNow, WorkflowStep.Reschedule, WorkflowStep.CancelSchedule, WorkflowStep.Correct,
            WorkflowStep.SetOffline, WorkflowStep.Withdraw, WorkflowStep.SetEmbargo], WorkflowSteps.Offered(article, Editor, 3, due.AddSeconds(-1)));

        // Readers see it from its minute on, whether or not the job has marked it published.
        const string message = "这篇稿件已到发布时间，读者已能看到，不能再改期、取消或提前发布。";
        Refused(() => article.Reschedule(Editor, due.AddDays(1), due), message);
        Refused(() => article.CancelSchedule(Editor, due), message);
        Refused(() => article.PublishNow(Editor, due), message);
        Assert.Equal([WorkflowStep.Correct, WorkflowStep.SetOffline, WorkflowStep.Withdraw], WorkflowSteps.Offered(article, Editor, 3, due));
    }

    [Fact]
    public void ScheduleControls_OfAnArticleThatIsNotScheduled_AreRefused()
    {
        var article = Scheduled();
        article.PublishNow(Editor, Now);

        const string message = "这篇稿件不是定时发布的稿件。";
        Refused(() => article.Reschedule(Editor, Now.AddDays(1), Now), message);
        Refused(() => article.CancelSchedule(Editor, Now), message);
        Refused(() => article.PublishNow(Editor, Now), message);
        Assert.DoesNotContain(WorkflowStep.Reschedule, WorkflowSteps.Offered(article, Editor, 3, Now));
    }

    [Fact]
    public void ReturnToDraft_OfAReportWithdrawnBeforeItsMinute_IsADraftAtLevelZeroThatCanBeSubmittedAgain()
    {
        var article = Scheduled();
        article.Placements.Add(new Placement { Block = CurationBlock.Headline });
        article.Withdraw(Editor, "时效已过", Now.AddHours(1));
        Assert.True(article.WasWithdrawnUnseen);
        Assert.Equal([WorkflowStep.ReturnToDraft, WorkflowStep.Recycle], WorkflowSteps.Offered(article, Chief, 3, Now.AddDays(1)));
        Assert.Empty(WorkflowSteps.Offered(article, Reporter, 3, Now.AddDays(1)));

        Refused(() => article.ReturnToDraft(Reporter, Now.AddDays(1)), "您不能把稿件退回草稿。");
        article.ReturnToDraft(Chief, Now.AddDays(1), " 改写后再发 ");

        Assert.Equal((ArticleStatus.Draft, 0, null), (article.Status, article.ReviewLevel, article.PublishedAt));
        Assert.Equal((null, null), (article.WithdrawalReason, article.WithdrawnAt));
        Assert.Empty(article.Placements);
        Assert.Equal((ReviewAction.ReturnToDraft, "改写后再发"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        // The history keeps the withdrawal.
        Assert.Contains(article.Reviews, r => r.Action == ReviewAction.Withdraw && r.Note == "时效已过");
        Assert.True(article.IsEditableBy(Reporter));
        Assert.Equal([WorkflowStep.Submit, WorkflowStep.SetEmbargo, WorkflowStep.Recycle], WorkflowSteps.Offered(article, Reporter, 3, Now.AddDays(1)));

        // Every level again, by the same people as before: the earlier passes were for the withdrawn text.
        _clock.Advance(TimeSpan.FromDays(2));
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);
        Assert.Equal((ArticleStatus.InReview, 1), (article.Status, article.ReviewLevel));
    }

    [Fact]
    public void ReturnToDraft_OfAReportReadersSaw_IsRefused()
    {
        var published = Scheduled();
        published.PublishNow(Editor, Now);
        published.Withdraw(Editor, "来源方要求撤回", Now.AddMinutes(10));

        var dueThenWithdrawn = Scheduled();
        // Its minute came (readers saw it) before the job marked it published.
        dueThenWithdrawn.Withdraw(Editor, "来源方要求撤回", Now.AddHours(2));

        foreach (var article in new[] { published, dueThenWithdrawn })
        {
            Assert.False(article.WasWithdrawnUnseen);
            Assert.Empty(WorkflowSteps.Offered(article, Chief, 3, Now.AddDays(1)));
            Refused(() => article.ReturnToDraft(Chief, Now.AddDays(1)), "这篇稿件曾向读者发布，撤稿后不能退回草稿。");
            Assert.Equal(ArticleStatus.Withdrawn, article.Status);
        }
    }

    [Fact]
    public void ReturnToDraft_OfAReportThatIsNotWithdrawn_IsRefused()
    {
        var article = Scheduled();

        Refused(() => article.ReturnToDraft(Chief, Now), "只有已撤稿的稿件可以退回草稿。");
    }

    [Fact]
    public void NewActions_HaveChineseNames()
    {
        Assert.Equal(["改期", "取消定时", "立即发布", "退回草稿"],
            new[] { ReviewAction.Reschedule, ReviewAction.CancelSchedule, ReviewAction.PublishNow, ReviewAction.ReturnToDraft }
                .Select(a => ArticleReview.ActionName(a, 0)));
    }
}
