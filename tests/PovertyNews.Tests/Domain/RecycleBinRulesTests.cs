using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

/// <summary>回收站 as <see cref="Article"/> enforces it: only reports readers never saw, by whom, and back as a draft.</summary>
public class RecycleBinRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private static readonly Actor Reporter = new("u-reporter", "李记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor OtherReporter = new("u-reporter2", "王记者", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor Editor = new("u-editor", "张编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SecondEditor = new("u-editor2", "赵编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Chief = new("u-chief", "陈总编", new HashSet<string> { NewsRoles.EditorInChief });
    private static readonly Actor Admin = new("u-admin", "管理员", new HashSet<string> { NewsRoles.Administrator });

    private static Article Draft()
    {
        var article = new Article { Slug = "a", Title = "标题", OwnerId = Reporter.UserId };
        article.SetBody("正文", "<p>正文</p>");
        return article;
    }

    private static Article Approved()
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
    public void Recycle_OwnDraft_GoesToTheBinWithItsTimeAndARecord()
    {
        var article = Draft();
        article.Placements.Add(new Placement { Block = CurationBlock.HotNews });

        article.Recycle(Reporter, Now);

        Assert.Equal((ArticleStatus.Recycled, Now), (article.Status, article.RecycledAt));
        Assert.Empty(article.Placements);
        var record = article.Reviews[^1];
        Assert.Equal((ReviewAction.Recycle, Reporter.UserId, "删除前：草稿"), (record.Action, record.UserId, record.Note));
        Assert.False(article.CanBeRecycled);
        Refused(() => article.Recycle(Editor, Now), "这篇稿件已在回收站中。");
    }

    [Fact]
    public void Recycle_AnotherReportersDraft_OrOwnSubmission_IsRefused_EditorsMay()
    {
        Refused(() => Draft().Recycle(OtherReporter, Now), "您不能删除这篇稿件。");
        Refused(() => Draft().Recycle(Admin, Now), "您不能删除这篇稿件。");
        var submitted = Draft();
        submitted.Submit(Reporter, Now);
        Refused(() => submitted.Recycle(Reporter, Now), "您不能删除这篇稿件。");

        submitted.Recycle(Editor, Now);
        var approved = Approved();
        approved.Recycle(Editor, Now);

        Assert.Equal(ArticleStatus.Recycled, submitted.Status);
        Assert.Equal("删除前：已终审", approved.Reviews[^1].Note);
    }

    [Fact]
    public void Recycle_ReportsReadersSaw_AreRefused_AWithdrawalBeforeItsMinuteIsNot()
    {
        var published = Approved();
        published.Release(Editor, Now);
        Refused(() => published.Recycle(Editor, Now), "读者看到过的稿件不能删除，只能撤稿。");
        published.Withdraw(Editor, "有误", Now.AddHours(1));
        Refused(() => published.Recycle(Editor, Now.AddHours(2)), "读者看到过的稿件不能删除，只能撤稿。");

        var scheduled = Approved();
        scheduled.Release(Editor, Now, Now.AddDays(1));
        Refused(() => scheduled.Recycle(Editor, Now), "定时发布的稿件请先取消定时，再删除。");
        scheduled.Withdraw(Editor, "取消", Now.AddHours(1));
        Assert.True(scheduled.WasWithdrawnUnseen);

        scheduled.Recycle(Editor, Now.AddHours(2));

        Assert.Equal(ArticleStatus.Recycled, scheduled.Status);
    }

    [Fact]
    public void Restore_BackToDraftAtLevelZero_WithoutTimeOrWithdrawal_ForTheOwnerOrEditors()
    {
        var article = Approved();
        article.Release(Editor, Now, Now.AddDays(1));
        article.Withdraw(Editor, "取消", Now.AddHours(1));
        article.Recycle(Editor, Now.AddHours(2));
        Refused(() => article.Restore(OtherReporter, Now), "您不能恢复这篇稿件。");
        Refused(() => article.Restore(Admin, Now), "您不能恢复这篇稿件。");

        article.Restore(Reporter, Now.AddHours(3));

        Assert.Equal((ArticleStatus.Draft, 0), (article.Status, article.ReviewLevel));
        Assert.Null(article.PublishedAt);
        Assert.Null(article.RecycledAt);
        Assert.Null(article.WithdrawalReason);
        Assert.Equal(ReviewAction.Restore, article.Reviews[^1].Action);
        Refused(() => article.Restore(Editor, Now), "这篇稿件不在回收站中。");
        article.Submit(Reporter, Now.AddHours(4)); // through every level again
    }

    [Fact]
    public void IsPurgeDue_OnlyInTheBin_FromTheEndOfTheRetention()
    {
        var article = Draft();
        Assert.False(article.IsPurgeDue(Now.AddYears(1), Retention));
        article.Recycle(Reporter, Now);

        Assert.False(article.IsPurgeDue(Now + Retention - TimeSpan.FromSeconds(1), Retention));
        Assert.True(article.IsPurgeDue(Now + Retention, Retention));
        article.Restore(Reporter, Now + Retention);
        Assert.False(article.IsPurgeDue(Now.AddYears(1), Retention));
    }

    [Theory]
    [InlineData("东西部协作", null)]
    [InlineData("", "标签不能为空。")]
    [InlineData("a/b", "标签“a/b”不能超过 50 个字，也不能含有“/”。")]
    [InlineData("湘西、济南", "标签“湘西、济南”不能含有逗号、顿号、分号或换行。")]
    [InlineData("湘西;济南", "标签“湘西;济南”不能含有逗号、顿号、分号或换行。")]
    public void TagNameProblem_TheEditorsRule(string name, string? problem) =>
        Assert.Equal(problem, ArticleRules.TagNameProblem(name));
}
