using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 消息: each workflow event notifies the people it concerns — 待我审 those who may pass the next level (by role and desk,
/// never twice in one round), 退回/发布/更正 the report's owner — never the person who acted; preferences turn the
/// inbox off; the inbox and the header's counter show one's own notifications only. The scheduled-publishing job runs
/// when a test says so.
/// </summary>
public sealed class NotificationTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private async Task StaffAsync()
    {
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("editor2@example.com", NewsRoles.Editor);
        await _app.CreateUserInAsync("chief@example.com", NewsRoles.EditorInChief);
        await _app.CreateUserInAsync("admin2@example.com", NewsRoles.Administrator);
    }

    private sealed record Row(string Email, NotificationKind Kind, int? ArticleId, string Text, string? ActorName, bool Read);

    private Task<List<Row>> NotificationsAsync() => _factory.WithDbAsync(db => db.Notifications.OrderBy(n => n.Id)
        .Join(db.Users, n => n.UserId, u => u.Id, (n, u) => new Row(u.Email!, n.Kind, n.ArticleId, n.Text, n.ActorName, n.ReadAt != null))
        .ToListAsync());

    private static IEnumerable<string> To(IEnumerable<Row> rows, NotificationKind kind) => rows.Where(r => r.Kind == kind).Select(r => r.Email).Order(StringComparer.Ordinal);

    private async Task DeskAsync(string email, string slug) => await _factory.WithDbAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var channelId = await db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync();
        db.DeskAssignments.Add(new DeskAssignment { UserId = userId, ChannelId = channelId });
        await db.SaveChangesAsync();
    });

    private async Task<int> ApprovedAsync(string title)
    {
        var id = await _app.CreateDraftAsync("reporter@example.com", title);
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass");
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass");
        return id;
    }

    [Fact]
    public async Task Submit_NotifiesWhoMayPassTheFirstLevelOnTheirDesk_NotTheSubmitterNorAdministrators()
    {
        await StaffAsync();
        await _app.CreateUserInAsync("elsewhere@example.com", NewsRoles.Editor);
        await DeskAsync("elsewhere@example.com", "yuqing");
        await _app.CreateUserInAsync("disabled@example.com", NewsRoles.Editor);
        await _factory.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == "disabled@example.com")).IsDisabled = true;
            await db.SaveChangesAsync();
        });
        var id = await _app.CreateDraftAsync("reporter@example.com", "十八洞村猕猴桃喜获丰收");

        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");

        var rows = await NotificationsAsync();
        Assert.Equal(["chief@example.com", "editor2@example.com", "editor@example.com"], To(rows, NotificationKind.ReviewWaiting));
        Assert.All(rows, r =>
        {
            Assert.Equal(id, r.ArticleId);
            Assert.Equal("稿件《十八洞村猕猴桃喜获丰收》待初审，由reporter送审", r.Text);
            Assert.Equal("reporter", r.ActorName);
            Assert.False(r.Read);
        });
    }

    [Fact]
    public async Task Pass_NotifiesTheNextLevel_NeverWhoPassedThisRound_LastLevelOnlyTheEditorInChief()
    {
        await StaffAsync();
        var id = await _app.CreateDraftAsync("reporter@example.com", "湘西州劳务协作座谈会召开");
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());

        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "pass");
        var rows = await NotificationsAsync();
        Assert.Equal(["chief@example.com", "editor2@example.com"], To(rows, NotificationKind.ReviewWaiting));
        Assert.Contains("待复审，初审已由editor通过", rows[0].Text);
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());

        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "pass");
        rows = await NotificationsAsync();
        Assert.Equal(["chief@example.com"], To(rows, NotificationKind.ReviewWaiting));
        Assert.Contains("待终审", rows[0].Text);
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());

        // Approved: no level waits, so nobody is told to review.
        await (await _app.SignInToAsync("chief@example.com")).StepOkAsync(id, "pass");
        Assert.Empty(await NotificationsAsync());
    }

    [Fact]
    public async Task SendBack_NotifiesTheOwnerWithTheReason()
    {
        await StaffAsync();
        var id = await _app.CreateDraftAsync("reporter@example.com", "凤凰县茶叶合作社分红");
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");

        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "sendback", note: "数据来源请注明");

        var sentBack = Assert.Single(await NotificationsAsync(), r => r.Kind == NotificationKind.SentBack);
        Assert.Equal("reporter@example.com", sentBack.Email);
        Assert.Equal("您的稿件《凤凰县茶叶合作社分红》被退回（editor）：数据来源请注明", sentBack.Text);
    }

    [Fact]
    public async Task Publish_NotifiesTheOwner_NowAndAtTheScheduledMinute()
    {
        await StaffAsync();
        var now = await ApprovedAsync("吉首经济开发区新厂投产");
        var later = await ApprovedAsync("保靖黄金茶春茶开采");
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());
        var editor = await _app.SignInToAsync("editor@example.com");

        await editor.StepOkAsync(now, "publish");
        await editor.StepOkAsync(later, "schedule", at: WorkflowSteps.FormatChinaLocal(Now.AddHours(1)));

        var published = Assert.Single(await NotificationsAsync());
        Assert.Equal(("reporter@example.com", NotificationKind.Published, now), (published.Email, published.Kind, published.ArticleId));
        Assert.Equal("您的稿件《吉首经济开发区新厂投产》已发布（editor）", published.Text);

        _factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await ActivatorUtilities.CreateInstance<SchedulePublisher>(_app.Services).PublishDueAsync(CancellationToken.None));

        var scheduled = (await NotificationsAsync())[^1];
        Assert.Equal(("reporter@example.com", NotificationKind.Published, later), (scheduled.Email, scheduled.Kind, scheduled.ArticleId));
        Assert.StartsWith("您的稿件《保靖黄金茶春茶开采》已按定时于", scheduled.Text);
        Assert.Null(scheduled.ActorName);
    }

    [Fact]
    public async Task Correction_WaitsForChangeReviewers_ThenNotifiesTheOwnerWhenApplied()
    {
        await StaffAsync();
        var id = await ApprovedAsync("古丈县毛尖茶产业园开园");
        var editor = await _app.SignInToAsync("editor@example.com");
        await editor.StepOkAsync(id, "publish");
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());

        await editor.StepOkAsync(id, "correct", note: "开园日期更正为6月18日");
        var waiting = await NotificationsAsync();
        Assert.Equal(["chief@example.com", "editor2@example.com"], To(waiting, NotificationKind.ReviewWaiting));
        Assert.Contains("的修改待初审", waiting[0].Text);
        await _factory.WithDbAsync(db => db.Notifications.ExecuteDeleteAsync());

        await _app.ApproveChangeAsync(editor, id);

        var corrected = Assert.Single(await NotificationsAsync(), r => r.Kind == NotificationKind.Corrected);
        Assert.Equal("reporter@example.com", corrected.Email);
        Assert.Contains("已更正", corrected.Text);
        Assert.Contains("开园日期更正为6月18日", corrected.Text);
    }

    [Fact]
    public async Task OwnStep_IsNeverNotifiedToItsActor()
    {
        await StaffAsync();
        // The editor's own report: the editor submits it and is not told that it waits (the others are).
        var id = await _app.CreateDraftAsync("editor@example.com", "永顺县猕猴桃产业调研");
        await (await _app.SignInToAsync("editor@example.com")).StepOkAsync(id, "submit");
        await (await _app.SignInToAsync("editor2@example.com")).StepOkAsync(id, "sendback", note: "请补充采访对象");

        var rows = await NotificationsAsync();
        Assert.DoesNotContain("editor@example.com", To(rows, NotificationKind.ReviewWaiting));
        Assert.Equal(["editor@example.com"], To(rows, NotificationKind.SentBack));
        Assert.DoesNotContain(rows, r => r.Email == "editor2@example.com" && r.Kind == NotificationKind.SentBack);
    }

    [Fact]
    public async Task Preferences_InAppOff_StopsThatKind_OthersStay_AndEmailIsExplainedAsUnavailable()
    {
        await StaffAsync();
        var editor = await _app.SignInToAsync("editor@example.com");
        var settings = await editor.GetPageAsync("/admin/inbox/settings");
        Assert.Contains("尚未配置发信服务器", settings.QuerySelector("#email-unavailable").Text());
        Assert.All(settings.QuerySelectorAll("input[type=checkbox][disabled]"), box => Assert.DoesNotContain("InApp", box.GetAttribute("name") ?? ""));
        var reviewWaiting = settings.QuerySelectorAll("input[name$='.Kind']").First(i => i.GetAttribute("value") == nameof(NotificationKind.ReviewWaiting));
        var index = reviewWaiting.GetAttribute("name")!.Split('[', ']')[1];

        using (var saved = await editor.SubmitFormAsync("/admin/inbox/settings", "form.inbox-settings", new() { [$"Input[{index}].InApp"] = null }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        var reloaded = await editor.GetPageAsync("/admin/inbox/settings");
        Assert.False(((AngleSharp.Html.Dom.IHtmlInputElement)reloaded.QuerySelector($"input[name='Input[{index}].InApp'][type=checkbox]")!).IsChecked);

        // E-mail cannot be turned on without a server, whatever is posted.
        using (var refused = await editor.SubmitFormAsync("/admin/inbox/settings", "form.inbox-settings", new() { ["Input[0].Email"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("尚未配置发信服务器", (await refused.ReadPageAsync()).QuerySelector(".form-errors").Text());
        }

        var id = await _app.CreateDraftAsync("reporter@example.com", "花垣县十八洞山泉水厂扩产");
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        Assert.Equal(["chief@example.com", "editor2@example.com"], To(await NotificationsAsync(), NotificationKind.ReviewWaiting));
        Assert.Contains(await _factory.WithDbAsync(db => db.AuditEntries.Select(e => e.Action).ToListAsync()),
            a => a == PovertyNews.Web.Newsroom.Notifications.InboxService.PreferencesChanged);
    }

    [Fact]
    public async Task HeaderCounter_ShowsTheUnreadCount_WithAnAccessibleName_AndNothingBeforeSignIn()
    {
        await StaffAsync();
        var editor = await _app.SignInToAsync("editor@example.com");
        var counter = (await editor.GetPageAsync("/admin")).QuerySelector("#inbox-counter")!;
        Assert.Equal("消息", counter.Text());
        Assert.Equal("消息，没有未读消息", counter.GetAttribute("aria-label"));

        foreach (var title in new[] { "龙山县百合产业", "泸溪县椪柑直播带货" })
        {
            var id = await _app.CreateDraftAsync("reporter@example.com", title);
            await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        }

        counter = (await editor.GetPageAsync("/admin/articles")).QuerySelector("#inbox-counter")!;
        Assert.Equal("消息2", counter.Text().Replace(" ", ""));
        Assert.Equal("消息，2 条未读消息", counter.GetAttribute("aria-label"));
        Assert.Equal("/admin/inbox", counter.GetAttribute("href"));
        var dashboard = await editor.GetPageAsync("/admin");
        Assert.Equal(2, dashboard.QuerySelectorAll("#unread-notifications li").Length);
        Assert.Null((await _factory.CreateReader().GetPageAsync("/admin/signin")).QuerySelector("#inbox-counter"));
    }

    [Fact]
    public async Task Inbox_ListsNewestFirst_MarksReadOneAndAll_Deletes_AndAnotherPersonsIdIs404()
    {
        await StaffAsync();
        var ids = new List<int>();
        foreach (var title in new[] { "第一篇待审稿件", "第二篇待审稿件", "第三篇待审稿件" })
        {
            var id = await _app.CreateDraftAsync("reporter@example.com", title);
            await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
            ids.Add(id);
        }
        var editor = await _app.SignInToAsync("editor@example.com");
        var inbox = await editor.GetPageAsync("/admin/inbox");
        var items = inbox.QuerySelectorAll(".inbox-item");
        Assert.Equal(3, items.Length);
        Assert.All(items, i => Assert.Contains("inbox-item--unread", i.ClassName));
        Assert.Contains("第三篇", items[0].Text());
        var first = items[0].Id!;
        // Opening a notification reads it and goes on to its report.
        using (var open = await editor.GetAsync(items[0].QuerySelector(".inbox-item__text a")!.GetAttribute("href")))
        {
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
            Assert.Equal($"/admin/articles/{ids[2]}", open.Headers.Location!.OriginalString);
        }
        Assert.Equal(2, (await editor.GetPageAsync("/admin/inbox?unread=true")).QuerySelectorAll(".inbox-item").Length);

        using (var read = await editor.SubmitFormAsync("/admin/inbox", $"#{items[1].Id} form.inbox-read", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
            Assert.Equal("/admin/inbox", read.Headers.Location!.OriginalString);
        }
        inbox = await editor.GetPageAsync("/admin/inbox?unread=true");
        Assert.Equal(1, inbox.QuerySelectorAll(".inbox-item").Length);
        Assert.Contains("未读（1）", inbox.QuerySelector(".inbox-filter").Text());

        // Another person's notification: the chief's id in the editor's forms is not found, and stays as it was.
        var chiefs = await _factory.WithDbAsync(db => db.Notifications.Where(n => db.Users.Any(u => u.Id == n.UserId && u.Email == "chief@example.com"))
            .Select(n => n.Id).FirstAsync());
        var token = inbox.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var handler in new[] { "read", "delete" })
        {
            using var foreign = await editor.PostAsync($"/admin/inbox?handler={handler}&id={chiefs}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }
        using (var foreignOpen = await editor.GetAsync($"/admin/inbox?handler=open&id={chiefs}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreignOpen.StatusCode);
        }
        Assert.True(await _factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == chiefs && n.ReadAt == null)));

        using (var all = await editor.SubmitFormAsync("/admin/inbox?unread=true", "#inbox-read-all", []))
        {
            Assert.Equal("/admin/inbox?unread=true", all.Headers.Location!.OriginalString);
        }
        Assert.Empty((await editor.GetPageAsync("/admin/inbox?unread=true")).QuerySelectorAll(".inbox-item"));
        Assert.Equal("消息", (await editor.GetPageAsync("/admin/inbox")).QuerySelector("#inbox-counter").Text());

        using (var deleted = await editor.SubmitFormAsync("/admin/inbox", $"#{first} form.inbox-delete", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }
        Assert.Equal(2, (await editor.GetPageAsync("/admin/inbox")).QuerySelectorAll(".inbox-item").Length);
        // The chief's inbox is untouched by all of it.
        var chief = await _app.SignInToAsync("chief@example.com");
        Assert.Equal(3, (await chief.GetPageAsync("/admin/inbox?unread=true")).QuerySelectorAll(".inbox-item").Length);
    }
}
