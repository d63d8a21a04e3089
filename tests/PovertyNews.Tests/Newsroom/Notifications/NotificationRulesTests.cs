using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Notifications;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Newsroom.Notifications;

public sealed class NotificationRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Reporter = new("r", "记者甲", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor Editor = new("e", "编辑乙", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Chief = new("c", "总编丙", new HashSet<string> { NewsRoles.EditorInChief });

    private static Article Draft()
    {
        var article = new Article { Slug = "a", Title = "茶园", OwnerId = "r" };
        article.SetBody("正文", "<p>正文</p>");
        return article;
    }

    private static IReadOnlyList<WorkflowNotice> After(Article article, Action step)
    {
        var before = article.Reviews.Count;
        step();
        return WorkflowNotices.Plan(article, [.. article.Reviews.Skip(before)]);
    }

    [Fact]
    public void Submit_WaitsForTheFirstLevel()
    {
        var article = Draft();
        var notice = Assert.Single(After(article, () => article.Submit(Reporter, Now)));
        Assert.Equal((NotificationKind.ReviewWaiting, NoticeAudience.NextReviewers), (notice.Kind, notice.Audience));
        Assert.Equal("稿件《茶园》待初审，由记者甲送审", notice.Text);
    }

    [Fact]
    public void PassBeforeTheLastLevel_WaitsForTheNext_TheLastPassTellsNobody()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        var notice = Assert.Single(After(article, () => article.Pass(Editor, 2, Now)));
        Assert.Equal("稿件《茶园》待复审，初审已由编辑乙通过", notice.Text);
        Assert.Empty(After(article, () => article.Pass(Chief, 2, Now)));
    }

    [Fact]
    public void SendBack_TellsTheOwnerWithTheReason()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        var notice = Assert.Single(After(article, () => article.SendBack(Editor, "请补充数据", Now)));
        Assert.Equal((NotificationKind.SentBack, NoticeAudience.Owner), (notice.Kind, notice.Audience));
        Assert.Equal("您的稿件《茶园》被退回（编辑乙）：请补充数据", notice.Text);
    }

    [Fact]
    public void Release_TellsTheOwnerWhenPublishedNow_NotWhenScheduled_ThenAtTheMinute()
    {
        var article = Draft();
        article.Submit(Reporter, Now);
        article.Pass(Chief, 1, Now);
        Assert.Empty(After(article, () => article.Release(Editor, Now, Now.AddHours(1))));
        var notice = Assert.Single(After(article, () => article.CompleteSchedule(Now.AddHours(1))));
        Assert.Equal((NotificationKind.Published, NoticeAudience.Owner), (notice.Kind, notice.Audience));
        Assert.Equal("您的稿件《茶园》已按定时于 2026-03-02 10:00 发布", notice.Text);
    }

    [Fact]
    public void Deliveries_MissingPreferenceIsInboxWithoutEmail()
    {
        Assert.Equal((true, false), Notifier.Deliveries(null));
        Assert.Equal((false, true), Notifier.Deliveries(new NotificationPreference { InApp = false, Email = true }));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(40, 1440)]
    public void RetryDelay_DoublesFromTheFirst_CappedAtADay(int attempts, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), new EmailOptions { FirstRetryDelay = TimeSpan.FromMinutes(1) }.RetryDelay(attempts));

    [Fact]
    public void Mail_HasTheChineseSubjectAndTheReviewLink()
    {
        var mail = NotificationMail.Compose("a@example.com", NotificationKind.SentBack, "您的稿件《茶园》被退回", 42, "编辑乙",
            "https://news.example.com", Now);
        Assert.Equal("【编辑部】稿件被退回：您的稿件《茶园》被退回", mail.Subject);
        Assert.Contains("查看稿件：https://news.example.com/admin/articles/42", mail.Body);
        Assert.Equal((Now, 0), (mail.NextAttemptAt, mail.Attempts));
    }

    [Fact]
    public void SavedQuery_IsReadAsTheSearchPageReadsItsQueryString()
    {
        var form = SavedQueryMatcher.Parse("?q=%E8%8C%B6&channel=xiezuo&status=published&from=2024-01-05&q=ignored");
        Assert.Equal(("茶", "xiezuo", "published", "2024-01-05"), (form.Q, form.Channel, form.Status, form.From));
        Assert.Null(form.Page);
    }
}
