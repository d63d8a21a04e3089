using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Tests.Domain;

/// <summary>三审 as the domain methods of <see cref="Article"/> enforce it.</summary>
public class WorkflowRulesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    private static readonly Actor Reporter = new("u-reporter", "李记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor OtherReporter = new("u-reporter2", "王记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor Editor = new("u-editor", "张编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SecondEditor = new("u-editor2", "赵编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Chief = new("u-chief", "陈总编", new HashSet<string> { NewsRoles.EditorInChief });
    private static readonly Actor Admin = new("u-admin", "管理员", new HashSet<string> { NewsRoles.Administrator });

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static Article Draft(string? body = "正文")
    {
        var article = new Article { Slug = "a", Title = "标题", OwnerId = Reporter.UserId };
        if (body is not null)
        {
            article.SetBody(body, $"<p>{body}</p>");
        }
        return article;
    }

    private Article Approved(int levels = 3)
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        var reviewers = new[] { Editor, SecondEditor, Chief }[^levels..];
        for (var level = 1; level <= levels; level++)
        {
            article.Pass(reviewers[level - 1], levels, Now);
        }
        return article;
    }

    private static void Refused(Action step, string message) =>
        Assert.Equal(message, Assert.Throws<WorkflowException>(step).Message);

    [Fact]
    public void Submit_ByOwningReporter_SubmitsAndRecordsWhoAndWhen()
    {
        var article = Draft();

        article.Submit(Reporter, Now);

        Assert.Equal(ArticleStatus.Submitted, article.Status);
        var record = Assert.Single(article.Reviews);
        Assert.Equal((ReviewAction.Submit, "u-reporter", "李记者", Now), (record.Action, record.UserId, record.UserName, record.At));
    }

    [Fact]
    public void Submit_ByAnotherReporter_IsRefused()
    {
        var article = Draft();

        Refused(() => article.Submit(OtherReporter, Now), "您不能送审这篇稿件。");
        Assert.Equal(ArticleStatus.Draft, article.Status);
        Assert.Empty(article.Reviews);
    }

    [Fact]
    public void Submit_WithEmptyBodyOrTwice_IsRefused()
    {
        Refused(() => Draft(body: null).Submit(Reporter, Now), "正文为空的稿件不能送审。");
        var article = Draft();
        article.Submit(Reporter, Now);
        Refused(() => article.Submit(Reporter, Now), "只有草稿可以送审。");
    }

    [Fact]
    public void ThreeLevels_EditorsThenEditorInChief_Approve()
    {
        var article = Draft();
        article.Submit(Reporter, Now);

        article.Pass(Editor, 3, Now, "事实核对无误");
        Assert.Equal((ArticleStatus.InReview, 1), (article.Status, article.ReviewLevel));
        article.Pass(SecondEditor, 3, Now);
        Assert.Equal((ArticleStatus.InReview, 2), (article.Status, article.ReviewLevel));
        article.Pass(Chief, 3, Now);

        Assert.Equal((ArticleStatus.Approved, 3), (article.Status, article.ReviewLevel));
        Assert.Equal(["送审", "初审通过", "复审通过", "终审通过"], article.Reviews.Select(r => ArticleReview.ActionName(r.Action, r.Level)));
        Assert.Equal("事实核对无误", article.Reviews[1].Note);
        Assert.Null(article.PublishedAt);
    }

    [Fact]
    public void Pass_EditorAtTheLastLevel_IsRefused()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);
        article.Pass(SecondEditor, 3, Now);

        Refused(() => article.Pass(new("u-editor3", "孙编辑", new HashSet<string> { NewsRoles.Editor }), 3, Now), "您没有终审的权限。");
        Assert.Equal((ArticleStatus.InReview, 2), (article.Status, article.ReviewLevel));
    }

    [Fact]
    public void Pass_ByReporterOrAdministrator_IsRefused()
    {
        var article = Draft();
        article.Submit(Reporter, Now);

        Refused(() => article.Pass(Reporter, 3, Now), "您没有初审的权限。");
        Refused(() => article.Pass(Admin, 3, Now), "您没有初审的权限。");
        Assert.Equal(ArticleStatus.Submitted, article.Status);
    }

    [Fact]
    public void Pass_SamePersonAtTwoLevels_IsRefused()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Chief, 3, Now);

        Refused(() => article.Pass(Chief, 3, Now), "同一人不能在两个审核级别通过同一篇稿件。");
        Assert.Equal(1, article.ReviewLevel);
    }

    [Fact]
    public void Pass_AfterSendBackAndResubmission_CountsOnlyTheNewRound()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);
        article.SendBack(SecondEditor, "数据需要核实", Now);
        _clock.Advance(TimeSpan.FromMinutes(5));

        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);

        Assert.Equal((ArticleStatus.InReview, 1), (article.Status, article.ReviewLevel));
        Refused(() => article.Pass(Editor, 3, Now), "同一人不能在两个审核级别通过同一篇稿件。");
    }

    [Fact]
    public void SingleLevel_OnlyTheEditorInChiefApproves()
    {
        var article = Draft();
        article.Submit(Reporter, Now);

        Refused(() => article.Pass(Editor, 1, Now), "您没有初审的权限。");
        article.Pass(Chief, 1, Now);

        Assert.Equal(ArticleStatus.Approved, article.Status);
    }

    [Fact]
    public void Pass_OfADraft_IsRefused() =>
        Refused(() => Draft().Pass(Editor, 3, Now), "这篇稿件不在审核中。");

    [Fact]
    public void SendBack_NeedsAReasonAndReturnsTheArticleToDraft()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);

        Refused(() => article.SendBack(SecondEditor, "  ", Now), "退回稿件须填写理由。");
        Refused(() => article.SendBack(Reporter, "自己撤回", Now), "您不能退回稿件。");
        article.SendBack(SecondEditor, " 标题不准确 ", Now);

        Assert.Equal((ArticleStatus.Draft, 0), (article.Status, article.ReviewLevel));
        Assert.Equal((ReviewAction.SendBack, "标题不准确"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        Assert.True(article.IsEditableBy(Reporter));
    }

    [Fact]
    public void Release_BeforeApproval_IsRefused()
    {
        var article = Draft();
        article.Submit(Reporter, Now);

        Refused(() => article.Release(Chief, Now), "稿件须通过全部审核后才能发布。");
    }

    [Fact]
    public void Release_ByReporterOrAdministrator_IsRefused()
    {
        var article = Approved();

        Refused(() => article.Release(Reporter, Now), "您不能发布稿件。");
        Refused(() => article.Release(Admin, Now), "您不能发布稿件。");
        Assert.Equal(ArticleStatus.Approved, article.Status);
    }

    [Fact]
    public void Release_Now_PublishesAndIsVisible()
    {
        var article = Approved();

        article.Release(Editor, Now);

        Assert.Equal((ArticleStatus.Published, Now), (article.Status, article.PublishedAt));
        Assert.True(article.IsVisibleAt(Now));
        Assert.Equal(ReviewAction.Publish, article.Reviews[^1].Action);
    }

    [Fact]
    public void Release_AtAFutureTime_SchedulesAndBecomesVisibleAtThatMinute()
    {
        var article = Approved();
        var at = Now.AddHours(2);

        article.Release(Editor, Now, at);

        Assert.Equal((ArticleStatus.Scheduled, at), (article.Status, article.PublishedAt));
        Assert.Equal("定于 2026-11-28 18:00", article.Reviews[^1].Note);
        Assert.False(article.IsVisibleAt(at.AddSeconds(-1)));
        Assert.True(article.IsVisibleAt(at));
    }

    [Fact]
    public void Release_AtAPastTime_IsRefused()
    {
        var article = Approved();

        Refused(() => article.Release(Editor, Now, Now), "定时发布的时间须晚于现在。");
        Assert.Equal(ArticleStatus.Approved, article.Status);
    }

    [Fact]
    public void CompleteSchedule_KeepsTheScheduledTimeAndRecordsTheSystem()
    {
        var article = Approved();
        var at = Now.AddHours(2);
        article.Release(Editor, Now, at);

        Assert.False(article.CompleteSchedule(Now.AddHours(1)));
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
        Assert.True(article.CompleteSchedule(Now.AddHours(3)));

        Assert.Equal((ArticleStatus.Published, at), (article.Status, article.PublishedAt));
        Assert.Equal((ReviewAction.PublishedOnSchedule, null, "系统"), (article.Reviews[^1].Action, article.Reviews[^1].UserId, article.Reviews[^1].UserName));
        Assert.False(article.CompleteSchedule(Now.AddHours(4)));
    }

    [Fact]
    public void Withdraw_HidesThePublishedArticleAndKeepsTheReason()
    {
        var article = Approved();
        article.Release(Editor, Now);
        article.Placements.Add(new Placement { Block = CurationBlock.Headline });

        Refused(() => article.Withdraw(Editor, " ", Now), "撤稿须填写理由。");
        Refused(() => article.Withdraw(Reporter, "理由", Now), "您不能撤稿。");
        article.Withdraw(Chief, "来源方要求撤回", Now);

        Assert.Equal((ArticleStatus.Withdrawn, "来源方要求撤回", Now), (article.Status, article.WithdrawalReason, article.WithdrawnAt));
        Assert.False(article.IsVisibleAt(Now.AddDays(1)));
        Assert.Empty(article.Placements);
        Refused(() => article.Withdraw(Chief, "再撤一次", Now), "只有已发布或定时发布的稿件可以撤稿。");
    }

    [Fact]
    public void Withdraw_OfAScheduledArticle_KeepsItFromEverAppearing()
    {
        var article = Approved();
        article.Release(Editor, Now, Now.AddHours(1));

        article.Withdraw(Editor, "时效已过", Now);

        Assert.False(article.IsVisibleAt(Now.AddHours(2)));
        Assert.False(article.CompleteSchedule(Now.AddHours(2)));
    }

    [Fact]
    public void IsEditableBy_FollowsTheStatus()
    {
        var article = Draft();
        Assert.True(article.IsEditableBy(Reporter));
        Assert.False(article.IsEditableBy(OtherReporter));
        Assert.False(article.IsEditableBy(Admin));

        article.Submit(Reporter, Now);

        Assert.False(article.IsEditableBy(Reporter));
        Assert.True(article.IsEditableBy(Editor));
    }

    // ---- What the pages offer (WorkflowSteps) agrees with the domain. ----

    [Fact]
    public void Offered_FollowsLevelRoleAndEarlierPasses()
    {
        var article = Draft();
        Assert.Equal([WorkflowStep.Submit, WorkflowStep.SetEmbargo, WorkflowStep.Recycle], WorkflowSteps.Offered(article, Reporter, 3, Now));
        Assert.Empty(WorkflowSteps.Offered(article, OtherReporter, 3, Now));
        article.Submit(Reporter, Now);
        Assert.Empty(WorkflowSteps.Offered(article, Reporter, 3, Now));
        Assert.Contains(WorkflowStep.Pass, WorkflowSteps.Offered(article, Editor, 3, Now));

        article.Pass(Editor, 3, Now);

        Assert.DoesNotContain(WorkflowStep.Pass, WorkflowSteps.Offered(article, Editor, 3, Now));
        Assert.Contains(WorkflowStep.SendBack, WorkflowSteps.Offered(article, Editor, 3, Now));
        Assert.Contains(WorkflowStep.Pass, WorkflowSteps.Offered(article, SecondEditor, 3, Now));
        article.Pass(SecondEditor, 3, Now);
        Assert.DoesNotContain(WorkflowStep.Pass, WorkflowSteps.Offered(article, Editor, 3, Now));
        Assert.Contains(WorkflowStep.Pass, WorkflowSteps.Offered(article, Chief, 3, Now));
        Assert.Empty(WorkflowSteps.Offered(article, Admin, 3, Now));
    }

    [Theory]
    [InlineData(ArticleStatus.Draft, 0, "草稿")]
    [InlineData(ArticleStatus.Submitted, 0, "待初审")]
    [InlineData(ArticleStatus.InReview, 1, "已初审 · 待复审")]
    [InlineData(ArticleStatus.InReview, 2, "已复审 · 待终审")]
    [InlineData(ArticleStatus.Approved, 3, "已终审 · 待发布")]
    [InlineData(ArticleStatus.Withdrawn, 3, "已撤稿")]
    public void StatusLabel_NamesTheLevelReached(ArticleStatus status, int level, string label) =>
        Assert.Equal(label, WorkflowSteps.StatusLabel(status, level));

    [Fact]
    public void ParseChinaLocal_ReadsChinaStandardTime()
    {
        Assert.Equal(new DateTime(2026, 11, 28, 6, 30, 0, DateTimeKind.Utc), WorkflowSteps.ParseChinaLocal("2026-11-28T14:30"));
        Assert.Equal(DateTimeKind.Utc, WorkflowSteps.ParseChinaLocal("2026-11-28T14:30")!.Value.Kind);
        Assert.Equal("2026-11-28T14:30", WorkflowSteps.FormatChinaLocal(new DateTime(2026, 11, 28, 6, 30, 0, DateTimeKind.Utc)));
        Assert.Null(WorkflowSteps.ParseChinaLocal("明天"));
        Assert.Null(WorkflowSteps.ParseChinaLocal(""));
        Assert.Null(WorkflowSteps.ParseChinaLocal("2026-13-01T10:00"));
    }
}
