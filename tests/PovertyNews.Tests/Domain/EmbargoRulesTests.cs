using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Tests.Domain;

/// <summary>禁发 as <see cref="Article"/> enforces it, and the steps the review page offers for it.</summary>
public class EmbargoRulesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    private static readonly Actor Reporter = new("u-reporter", "李记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor OtherReporter = new("u-reporter2", "王记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor Editor = new("u-editor", "张编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SecondEditor = new("u-editor2", "赵编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Chief = new("u-chief", "陈总编", new HashSet<string> { NewsRoles.EditorInChief });

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static Article Draft()
    {
        var article = new Article { Slug = "a", Title = "标题", OwnerId = Reporter.UserId };
        article.SetBody("正文", "<p>正文</p>");
        return article;
    }

    private Article Approved()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Editor, 3, Now);
        article.Pass(SecondEditor, 3, Now);
        article.Pass(Chief, 3, Now);
        return article;
    }

    private static void Refused(Action step, string message) =>
        Assert.Equal(message, Assert.Throws<WorkflowException>(step).Message);

    [Fact]
    public void Embargo_HoldsPublishingAndSchedulingBeforeIt_AndIsRecordedWithItsNote()
    {
        var article = Approved();
        article.SetEmbargo(Editor, Now.AddHours(4), "  发布会后方可发布 ", Now);

        Assert.True(article.IsEmbargoedAt(Now));
        Assert.False(article.IsEmbargoedAt(Now.AddHours(4)));
        Assert.Equal("发布会后方可发布", article.EmbargoNote);
        Assert.Equal((ReviewAction.SetEmbargo, "禁发至 2026-11-28 20:00：发布会后方可发布"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        Refused(() => article.Release(Editor, Now), "稿件禁发至 2026-11-28 20:00（发布会后方可发布），不能在此之前发布。");
        Refused(() => article.Release(Editor, Now, Now.AddHours(3)), "稿件禁发至 2026-11-28 20:00（发布会后方可发布），不能在此之前发布。");

        article.Release(Editor, Now, Now.AddHours(4));
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
        Refused(() => article.Reschedule(Editor, Now.AddHours(1), Now), "稿件禁发至 2026-11-28 20:00（发布会后方可发布），不能在此之前发布。");
        Refused(() => article.PublishNow(Editor, Now), "稿件禁发至 2026-11-28 20:00（发布会后方可发布），不能在此之前发布。");
    }

    [Fact]
    public void Embargo_IsTheEditablePersons_AndNotForAPublishedReport()
    {
        var draft = Draft();
        Refused(() => draft.SetEmbargo(OtherReporter, Now.AddHours(1), null, Now), "您不能为这篇稿件设定禁发。");
        draft.SetEmbargo(Reporter, Now.AddHours(1), null, Now);
        Assert.Null(draft.EmbargoNote);

        var published = Approved();
        published.Release(Editor, Now);
        Refused(() => published.SetEmbargo(Editor, Now.AddHours(1), null, Now), "已发布的稿件不能再设定禁发。");
    }

    [Fact]
    public void Embargo_InThePast_OrAfterTheScheduledTime_OrWithAnOverlongNote_IsRefused()
    {
        var article = Approved();
        Refused(() => article.SetEmbargo(Editor, Now, null, Now), "禁发时间须晚于现在。");
        Refused(() => article.SetEmbargo(Editor, Now.AddHours(1), new string('说', 501), Now), "禁发说明不能超过 500 字。");
        article.Release(Editor, Now, Now.AddHours(2));
        Refused(() => article.SetEmbargo(Editor, Now.AddHours(3), null, Now), "这篇稿件定于 2026-11-28 18:00 发布，早于禁发时间；请先改期。");
        article.SetEmbargo(Editor, Now.AddHours(2), null, Now);
        Assert.Null(article.EmbargoNote);
    }

    [Fact]
    public void LiftEmbargo_ClearsItAndRecordsTheOldTime()
    {
        var article = Approved();
        article.SetEmbargo(Editor, Now.AddHours(4), "说明", Now);

        article.LiftEmbargo(Editor, Now);

        Assert.Null(article.EmbargoUntil);
        Assert.Null(article.EmbargoNote);
        Assert.Equal((ReviewAction.LiftEmbargo, "原禁发至 2026-11-28 20:00"), (article.Reviews[^1].Action, article.Reviews[^1].Note));
        article.Release(Editor, Now);
        Refused(() => article.LiftEmbargo(Editor, Now), "这篇稿件没有设定禁发。");
    }

    [Fact]
    public void ReviewPage_OffersEmbargoSteps_ToWhoMayEdit_WhileReadersHaveNotSeenTheReport()
    {
        var draft = Draft();
        Assert.Equal([WorkflowStep.Submit, WorkflowStep.SetEmbargo, WorkflowStep.Recycle], WorkflowSteps.Offered(draft, Reporter, 3, Now));
        Assert.DoesNotContain(WorkflowStep.SetEmbargo, WorkflowSteps.Offered(draft, OtherReporter, 3, Now));
        draft.SetEmbargo(Reporter, Now.AddHours(1), null, Now);
        Assert.Equal([WorkflowStep.Submit, WorkflowStep.SetEmbargo, WorkflowStep.LiftEmbargo, WorkflowStep.Recycle],
            WorkflowSteps.Offered(draft, Reporter, 3, Now));

        var published = Approved();
        published.Release(Editor, Now);
        Assert.DoesNotContain(WorkflowStep.SetEmbargo, WorkflowSteps.Offered(published, Editor, 3, Now));
    }
}
