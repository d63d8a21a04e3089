using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 排期 (/admin/calendar): the month and week views per channel and per person, today marked, and 改期 through the
/// calendar's own form, which takes the review page's workflow step (same rules, refusals, version check and audit).
/// Each test sets the app's clock to a Beijing noon, so "today", "this morning" and "this afternoon" are the same day
/// whenever the tests run. The app runs without the publishing job's timer: the clock alone decides what is out.
/// </summary>
public sealed class CalendarTests(NoSchedulePublisherApp shared) : IClassFixture<NoSchedulePublisherApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        // The next Beijing noon, never earlier than the real time (the clock only moves forward from a reset).
        var real = _factory.Clock.GetUtcNow().UtcDateTime;
        var noon = ChinaTime.StartOfDayUtc(ChinaTime.Today(real)).AddHours(12);
        _factory.Clock.AdjustTime(new DateTimeOffset(noon > real ? noon : noon.AddDays(1)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTime Now => _factory.Clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => ChinaTime.Today(Now);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A Beijing time as UTC.</summary>
    private static DateTime Beijing(string local) => DateTimeOffset.Parse(local + "+08:00", System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;

    private async Task UsersAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
    }

    /// <summary>A reviewed report released for <paramref name="at"/>: scheduled when that lies ahead of the app's clock, else published.</summary>
    private Task<int> ReleasedAsync(string title, DateTime at, string channel = "xiezuo", string? owner = null) =>
        _factory.WithDbAsync(async db =>
        {
            var channelId = await db.Channels.Where(c => c.Slug == channel).Select(c => c.Id).SingleAsync();
            var ownerId = owner is null ? null : await db.Users.Where(u => u.Email == owner).Select(u => u.Id).SingleAsync();
            var article = new ArticleBuilder(channelId, title).Owner(ownerId).Draft().Build();
            article.Publish(Now, at);
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });

    private async Task DeskAsync(string email, string channel) => await _factory.WithDbAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var channelId = await db.Channels.Where(c => c.Slug == channel).Select(c => c.Id).SingleAsync();
        db.DeskAssignments.Add(new DeskAssignment { UserId = userId, ChannelId = channelId });
        await db.SaveChangesAsync();
    });

    private Task<DateTime?> PublishedAtAsync(int id) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PublishedAt).SingleAsync());

    private Task<List<(string Action, string? Details)>> AuditAsync(int id) =>
        _factory.WithDbAsync(async db => (await db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderBy(e => e.Id)
            .Select(e => new { e.Action, e.Details }).ToListAsync()).Select(e => (e.Action, e.Details)).ToList());

    private static AngleSharp.Dom.IElement DayCell(IHtmlDocument page, DateOnly day) =>
        page.QuerySelector($"#day-{Day(day)}") ?? throw new Xunit.Sdk.XunitException($"no day {Day(day)} on the page");

    private static AngleSharp.Dom.IElement? Entry(IHtmlDocument page, int id) => page.QuerySelector($"#entry-{id}");

    /// <summary>
    /// A 改期 post for a report whose form the page may not offer, as a crafted request would: a valid antiforgery
    /// token (from the sign-out form) and the report's current version.
    /// </summary>
    private Task<HttpResponseMessage> ForcedRescheduleAsync(HttpClient client, int id, string at) =>
        ForcedAsync(client, "/admin/calendar", "/admin/calendar?handler=Reschedule", id, at);

    /// <summary>The same post to the review page's 改期 handler, with the same time.</summary>
    private Task<HttpResponseMessage> ForcedReviewRescheduleAsync(HttpClient client, int id, string at) =>
        ForcedAsync(client, $"/admin/articles/{id}", $"/admin/articles/{id}?handler=Reschedule", id, at);

    private async Task<HttpResponseMessage> ForcedAsync(HttpClient client, string tokenPage, string action, int id, string at)
    {
        var page = await client.GetPageAsync(tokenPage);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var version = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => (Guid?)a.Version).SingleOrDefaultAsync())
            ?? Guid.NewGuid();
        return await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Version"] = version.ToString(),
            ["Input.At"] = at,
        }));
    }

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response, string selector) =>
        (await response.ReadPageAsync()).QuerySelectorAll($"{selector} li").Select(li => li.Text()).ToList();

    // ---- The views ----

    [Fact]
    public async Task MonthView_ShowsTodaysScheduledAndPublishedReports_MarkedApartAndLinkedToTheirReview()
    {
        await UsersAsync();
        var morning = await ReleasedAsync("上午已发布的协作报道", Now.AddHours(-2));
        var afternoon = await ReleasedAsync("下午定时发布的协作报道", Now.AddHours(3));
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/calendar");

        Assert.Equal("排期", page.QuerySelector("h1").Text());
        Assert.Equal("page", page.QuerySelector(".admin-nav a[href='/admin/calendar']")!.GetAttribute("aria-current"));
        Assert.Equal($"{Today.Year}年{Today.Month}月", page.QuerySelector("#calendar-title").Text());
        var table = page.QuerySelector("table.calendar-month")!;
        Assert.Contains("排期", table.QuerySelector("caption").Text());
        Assert.Equal(["一", "二", "三", "四", "五", "六", "日"], table.QuerySelectorAll("thead th[scope=col]").Select(th => th.Text()));
        Assert.Equal(0, table.QuerySelectorAll("tbody td").Length % 7);
        var today = DayCell(page, Today);
        Assert.Contains("calendar-day--today", today.ClassList);
        Assert.Equal("date", today.QuerySelector(".calendar-day__date")!.GetAttribute("aria-current"));
        Assert.Contains("今天", today.QuerySelector(".calendar-day__date").Text());
        Assert.Single(page.QuerySelectorAll("[aria-current=date].calendar-day__date"));

        var published = Entry(page, morning)!;
        Assert.Contains("calendar-entry--published", published.ClassList);
        Assert.Equal("已发布", published.QuerySelector(".calendar-state").Text());
        Assert.Equal(ChinaTime.FromUtc(Now.AddHours(-2)).ToString("HH:mm"), published.QuerySelector("time").Text());
        Assert.Equal($"/admin/articles/{morning}", published.QuerySelector("a.calendar-entry__title")!.GetAttribute("href"));
        Assert.Contains("东西部协作", published.QuerySelector(".calendar-entry__channel").Text());
        Assert.Null(published.QuerySelector("form"));
        var pending = Entry(page, afternoon)!;
        Assert.Contains("calendar-entry--pending", pending.ClassList);
        Assert.Equal("待发布", pending.QuerySelector(".calendar-state").Text());
        Assert.Equal("15:00", pending.QuerySelector("time").Text());
        Assert.Equal(ChinaTime.FormatIso(Now.AddHours(3)), pending.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.NotNull(pending.QuerySelector($"form#reschedule-{afternoon}"));
        Assert.Same(today, published.Closest("td"));
        Assert.Same(today, pending.Closest("td"));
        Assert.Contains("待发布 1 篇，已发布 1 篇", page.QuerySelector("#calendar-today-summary").Text());
    }

    [Fact]
    public async Task MonthView_IsWholeWeeksFromMonday_DaysAreBeijingDays_AndNavigatesByMonth()
    {
        await UsersAsync();
        // 07:30 in Beijing on 11 March is still 10 March in UTC: the report belongs to the 11th.
        var early = await ReleasedAsync("清晨定时发布的报道", Beijing("2031-03-11T07:30:00"));
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/calendar?date=2031-03-12");

        Assert.Equal("2031年3月", page.QuerySelector("#calendar-title").Text());
        var cells = page.QuerySelectorAll("table.calendar-month tbody td");
        Assert.Equal(42, cells.Length);
        Assert.Equal("day-2031-02-24", cells[0].Id);
        Assert.Equal("day-2031-04-06", cells[^1].Id);
        Assert.Contains("calendar-day--outside", cells[0].ClassList);
        Assert.DoesNotContain("calendar-day--outside", DayCell(page, new DateOnly(2031, 3, 1)).ClassList);
        Assert.Contains("3月11日 星期二", DayCell(page, new DateOnly(2031, 3, 11)).QuerySelector(".calendar-day__date").Text());
        Assert.NotNull(DayCell(page, new DateOnly(2031, 3, 11)).QuerySelector($"#entry-{early}"));
        Assert.Empty(DayCell(page, new DateOnly(2031, 3, 10)).QuerySelectorAll(".calendar-entry"));
        Assert.Equal("07:30", Entry(page, early)!.QuerySelector("time").Text());
        Assert.Null(page.QuerySelector(".calendar-day--today"));
        Assert.Null(page.QuerySelector("#calendar-today-summary"));
        Assert.Equal("/admin/calendar?date=2031-02-01", page.QuerySelector(".calendar-nav a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/admin/calendar?date=2031-04-01", page.QuerySelector(".calendar-nav a[rel=next]")!.GetAttribute("href"));
        Assert.Equal($"/admin/calendar?date={Day(new DateOnly(Today.Year, Today.Month, 1))}", page.QuerySelector(".calendar-nav a:not([rel])")!.GetAttribute("href"));
        // The week view opens on the week holding the 1st.
        Assert.Equal("/admin/calendar?view=week&date=2031-02-24", page.QuerySelector(".calendar-views a:not([aria-current])")!.GetAttribute("href"));
    }

    [Fact]
    public async Task WeekView_ListsMondayToSunday_WithEveryPublishedReport_AndNavigatesByWeek()
    {
        await UsersAsync();
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await ReleasedAsync($"周三的定时报道{i}", Beijing($"2031-03-12T0{i + 1}:00:00")));
        }
        var editor = await _factory.SignInAsync("editor@example.com");

        var week = await editor.GetPageAsync("/admin/calendar?view=week&date=2031-03-12");

        Assert.Equal("2031年3月10日—16日", week.QuerySelector("#calendar-title").Text());
        Assert.Null(week.QuerySelector("table.calendar-month"));
        var days = week.QuerySelectorAll("ol.calendar-week > li.calendar-day");
        Assert.Equal(Enumerable.Range(10, 7).Select(d => $"day-2031-03-{d}"), days.Select(d => d.Id));
        Assert.Equal(ids.Select(id => $"entry-{id}"), DayCell(week, new DateOnly(2031, 3, 12)).QuerySelectorAll(".calendar-entry").Select(e => e.Id));
        Assert.Equal("没有稿件", DayCell(week, new DateOnly(2031, 3, 13)).QuerySelector(".calendar-day__none").Text());
        Assert.Equal("page", week.QuerySelector(".calendar-views a[href*='view=week']")!.GetAttribute("aria-current"));
        Assert.Equal("/admin/calendar?view=week&date=2031-03-03", week.QuerySelector(".calendar-nav a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/admin/calendar?view=week&date=2031-03-17", week.QuerySelector(".calendar-nav a[rel=next]")!.GetAttribute("href"));
        // A week across the turn of the year is named with both years.
        Assert.Equal("2031年12月29日—2032年1月4日",
            (await editor.GetPageAsync("/admin/calendar?view=week&date=2032-01-01")).QuerySelector("#calendar-title").Text());
    }

    [Fact]
    public async Task MonthView_ShowsAFewPublishedReportsADay_AndLinksToTheWeekForTheRest()
    {
        await UsersAsync();
        // Five published reports on one day, a month ago; pending reports are never folded away.
        var day = Today.AddDays(-35);
        for (var i = 0; i < 5; i++)
        {
            await ReleasedAsync($"当天已发布的报道{i}", ChinaTime.StartOfDayUtc(day).AddHours(9 + i));
        }
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync($"/admin/calendar?date={Day(day)}");

        var cell = DayCell(page, day);
        Assert.Equal(3, cell.QuerySelectorAll(".calendar-entry--published").Length);
        var more = cell.QuerySelector(".calendar-day__more a")!;
        Assert.StartsWith("另有 2 篇已发布", more.Text());
        var week = await editor.GetPageAsync(more.GetAttribute("href")!);
        Assert.Equal(5, DayCell(week, day).QuerySelectorAll(".calendar-entry--published").Length);
    }

    [Fact]
    public async Task ChannelFilter_ShowsThatChannelWithItsSubChannels_AndKeepsToTheView()
    {
        await UsersAsync();
        var at = Beijing("2031-03-12T09:00:00");
        var tuopin = await ReleasedAsync("脱贫攻坚栏目的定时稿件", at, "tuopin");
        var chanye = await ReleasedAsync("产业扶贫栏目的定时稿件", at.AddHours(1), "chanye");
        var xiezuo = await ReleasedAsync("东西部协作栏目的定时稿件", at.AddHours(2), "xiezuo");
        var tuopinId = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "tuopin").Select(c => c.Id).SingleAsync());
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync($"/admin/calendar?view=week&date=2031-03-12&channel={tuopinId}");

        Assert.NotNull(Entry(page, tuopin));
        Assert.NotNull(Entry(page, chanye));
        Assert.Null(Entry(page, xiezuo));
        Assert.True(page.QuerySelector($"#calendar-channel option[value='{tuopinId}']")!.HasAttribute("selected"));
        Assert.Equal($"/admin/calendar?view=week&date=2031-03-17&channel={tuopinId}", page.QuerySelector(".calendar-nav a[rel=next]")!.GetAttribute("href"));
        Assert.Equal("week", page.QuerySelector(".calendar-filters input[name=view]")!.GetAttribute("value"));
        var all = await editor.GetPageAsync("/admin/calendar?view=week&date=2031-03-12");
        Assert.All(new[] { tuopin, chanye, xiezuo }, id => Assert.NotNull(Entry(all, id)));
    }

    [Fact]
    public async Task Reporter_SeesOwnScheduledAndWhatReadersSee_NeverAnotherReportersEmbargo_AndMovesNothing()
    {
        await UsersAsync();
        var own = await ReleasedAsync("李记者自己的定时稿件", Now.AddHours(2), owner: "reporter@example.com");
        var others = await ReleasedAsync("另一位记者的定时稿件", Now.AddHours(3), owner: "reporter2@example.com");
        var published = await ReleasedAsync("读者已能看到的报道", Now.AddHours(-1), owner: "reporter2@example.com");
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var admin = await _factory.SignInAsync("admin@example.com");

        var page = await reporter.GetPageAsync("/admin/calendar");

        Assert.NotNull(Entry(page, own));
        Assert.Null(Entry(page, others));
        Assert.DoesNotContain("另一位记者的定时稿件", page.Body!.TextContent);
        Assert.NotNull(Entry(page, published));
        Assert.Empty(page.QuerySelectorAll("form[id^=reschedule-]"));
        Assert.Null(page.QuerySelector("input[name=desk]"));
        // An administrator without an editorial role reads everything and moves nothing, as on the review page.
        var adminPage = await admin.GetPageAsync("/admin/calendar");
        Assert.All(new[] { own, others, published }, id => Assert.NotNull(Entry(adminPage, id)));
        Assert.Empty(adminPage.QuerySelectorAll("form[id^=reschedule-]"));
    }

    [Fact]
    public async Task DeskEditor_SeesEveryChannel_MovesOnlyInTheDesk_AndCanNarrowToIt()
    {
        await UsersAsync();
        await DeskAsync("editor@example.com", "tuopin");
        var inDesk = await ReleasedAsync("产业扶贫的定时稿件", Now.AddHours(2), "chanye");
        var outside = await ReleasedAsync("东西部协作的定时稿件", Now.AddHours(3), "xiezuo");
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/calendar");

        Assert.NotNull(Entry(page, inDesk)!.QuerySelector("form"));
        Assert.NotNull(Entry(page, outside));
        Assert.Null(Entry(page, outside)!.QuerySelector("form"));
        Assert.Equal("只看我的责任栏目", page.QuerySelector("label:has(input[name=desk])").Text());
        var desk = await editor.GetPageAsync("/admin/calendar?desk=true");
        Assert.NotNull(Entry(desk, inDesk));
        Assert.Null(Entry(desk, outside));
        Assert.True(desk.QuerySelector("input[name=desk]")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task UnreadableParameters_ShowThisMonth()
    {
        await UsersAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/calendar?view=year&date=2026-13-45&channel=abc&desk=maybe");
        var ancient = await editor.GetPageAsync("/admin/calendar?date=0001-01-01");

        Assert.Equal($"{Today.Year}年{Today.Month}月", page.QuerySelector("#calendar-title").Text());
        Assert.NotNull(page.QuerySelector(".calendar-day--today"));
        Assert.Equal($"{Today.Year}年{Today.Month}月", ancient.QuerySelector("#calendar-title").Text());
    }

    [Fact]
    public async Task SignedOut_IsSentToSignIn()
    {
        using var response = await _factory.CreateReader().GetAsync("/admin/calendar");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/signin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Calendar_SendsTheSameNumberOfQueriesWhateverItShows()
    {
        await UsersAsync();
        await DeskAsync("editor@example.com", "tuopin");
        await ReleasedAsync("第一篇定时稿件", Now.AddHours(1), "chanye");
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.GetPageAsync("/admin/calendar");
        _factory.Commands.Reset();
        await editor.GetPageAsync("/admin/calendar");
        var few = _factory.Commands.Count;
        for (var i = 0; i < 15; i++)
        {
            await ReleasedAsync($"批量定时稿件{i}", Now.AddHours(2).AddMinutes(i), i % 2 == 0 ? "chanye" : "xiezuo");
            await ReleasedAsync($"批量已发布稿件{i}", Now.AddHours(-2).AddMinutes(i), "xiaozhen");
        }

        _factory.Commands.Reset();
        var page = await editor.GetPageAsync("/admin/calendar");

        Assert.Equal(few, _factory.Commands.Count);
        Assert.Equal(16, page.QuerySelectorAll(".calendar-entry--pending").Length);
    }

    // ---- 改期 from the calendar ----

    [Fact]
    public async Task Reschedule_ThroughTheCalendarForm_MovesTheReport_AuditsIt_AndReturnsToTheSameView()
    {
        await UsersAsync();
        const string title = "从排期改期的报道";
        var oldAt = Beijing("2031-03-12T09:00:00");
        var id = await ReleasedAsync(title, oldAt, "chanye");
        var chanye = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "chanye").Select(c => c.Id).SingleAsync());
        var editor = await _factory.SignInAsync("editor@example.com");
        // The address names the week by its Monday, as the calendar's own links do.
        var view = $"/admin/calendar?view=week&date=2031-03-10&channel={chanye}";
        const string newLocal = "2031-03-14T16:30";
        var newAt = Beijing("2031-03-14T16:30:00");
        var form = (await editor.GetPageAsync(view)).QuerySelector($"#reschedule-{id}")!;
        Assert.Equal("新的发布时间（北京时间）", form.QuerySelector($"label[for=reschedule-at-{id}]").Text());
        Assert.Equal(WorkflowSteps.FormatChinaLocal(oldAt), form.QuerySelector($"#reschedule-at-{id}")!.GetAttribute("value"));
        Assert.Equal(WorkflowSteps.FormatChinaLocal(Now.AddMinutes(1)), form.QuerySelector("input[type=datetime-local]")!.GetAttribute("min"));

        using var response = await editor.SubmitFormAsync(view, $"#reschedule-{id}", new() { ["Input.At"] = newLocal });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(view, response.Headers.Location!.OriginalString);
        Assert.Equal(newAt, await PublishedAtAsync(id));
        Assert.Equal((AuditActions.Workflow(ReviewAction.Reschedule),
            $"改期：由 {ChinaTime.FormatDateTime(oldAt)} 改为 {ChinaTime.FormatDateTime(newAt)}"), (await AuditAsync(id))[^1]);
        var page = await editor.GetPageAsync(view);
        Assert.Equal($"《{title}》已改期：{ChinaTime.FormatDateTime(newAt)}（北京时间）发布。", page.QuerySelector(".flash").Text());
        Assert.Same(DayCell(page, new DateOnly(2031, 3, 14)), Entry(page, id)!.Closest("li.calendar-day"));
        Assert.Empty(DayCell(page, new DateOnly(2031, 3, 12)).QuerySelectorAll(".calendar-entry"));
        Assert.Equal("16:30", Entry(page, id)!.QuerySelector("time").Text());
        // The review page tells the same story.
        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Contains(ChinaTime.FormatDateTime(newAt), review.QuerySelector(".review-bar__due").Text());
        Assert.Contains("改期", review.QuerySelectorAll(".review-history tbody tr").Last().Text());
    }

    [Fact]
    public async Task Reschedule_ToAPastOrUnreadableTime_ShowsTheCalendarAgainWithTheMessage_AndChangesNothing()
    {
        await UsersAsync();
        var id = await ReleasedAsync("改期时间填错的稿件", Now.AddHours(3));
        var editor = await _factory.SignInAsync("editor@example.com");
        var at = await PublishedAtAsync(id);
        var audit = (await AuditAsync(id)).Count;
        var past = WorkflowSteps.FormatChinaLocal(Now.AddMinutes(-30));

        using var pastResponse = await editor.SubmitFormAsync("/admin/calendar", $"#reschedule-{id}", new() { ["Input.At"] = past });
        using var unreadable = await editor.SubmitFormAsync("/admin/calendar", $"#reschedule-{id}", new() { ["Input.At"] = "后天" });
        using var empty = await editor.SubmitFormAsync("/admin/calendar", $"#reschedule-{id}", new() { ["Input.At"] = "" });
        using var year9999 = await editor.SubmitFormAsync("/admin/calendar", $"#reschedule-{id}", new() { ["Input.At"] = "9999-12-31T23:59" });

        Assert.Equal(HttpStatusCode.BadRequest, pastResponse.StatusCode);
        var page = await pastResponse.ReadPageAsync();
        Assert.Contains("改期的时间须晚于现在。", page.QuerySelector("#calendar-errors").Text());
        var entry = Entry(page, id)!;
        Assert.True(entry.QuerySelector("details.calendar-move")!.HasAttribute("open"));
        Assert.Equal(past, entry.QuerySelector($"#reschedule-at-{id}")!.GetAttribute("value"));
        Assert.Equal("改期的时间须晚于现在。", entry.QuerySelector($"#reschedule-error-{id}").Text());
        Assert.Equal($"reschedule-error-{id}", entry.QuerySelector($"#reschedule-at-{id}")!.GetAttribute("aria-describedby"));
        Assert.NotNull(page.QuerySelector("table.calendar-month"));
        foreach (var response in new[] { unreadable, empty, year9999 })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(WorkflowService.ScheduleTimeMessage, (await response.ReadPageAsync()).QuerySelector("#calendar-errors").Text());
        }
        Assert.Equal(at, await PublishedAtAsync(id));
        Assert.Equal(audit, (await AuditAsync(id)).Count);
    }

    [Fact]
    public async Task Reschedule_FromACalendarShownBeforeTheReportChanged_IsAConflict()
    {
        await UsersAsync();
        var id = await ReleasedAsync("两位编辑同时改期的稿件", Now.AddHours(3));
        var editor = await _factory.SignInAsync("editor@example.com");
        var stale = await editor.GetPageAsync("/admin/calendar");
        var first = WorkflowSteps.FormatChinaLocal(Now.AddHours(5));
        await editor.StepOkAsync(id, "reschedule", at: first);

        using var response = await editor.PostFormAsync(stale, $"#reschedule-{id}",
            new() { ["Input.At"] = WorkflowSteps.FormatChinaLocal(Now.AddHours(6)) });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(WorkflowService.StaleMessage, (await response.ReadPageAsync()).QuerySelector("#calendar-errors").Text());
        Assert.Equal(WorkflowSteps.ParseChinaLocal(first), await PublishedAtAsync(id));
    }

    [Fact]
    public async Task Reschedule_ByThoseWhoMayNot_IsRefusedAsOnTheReviewPage()
    {
        await UsersAsync();
        await _factory.CreateUserAsync("desk-editor@example.com", NewsRoles.Editor);
        await DeskAsync("desk-editor@example.com", "tuopin");
        var own = await ReleasedAsync("记者自己的定时稿件", Now.AddHours(2), owner: "reporter@example.com");
        var outside = await ReleasedAsync("责任栏目以外的定时稿件", Now.AddHours(2), "xiezuo");
        var embargoed = await ReleasedAsync("另一位记者看不到的定时稿件", Now.AddHours(2), owner: "reporter2@example.com");
        var at = WorkflowSteps.FormatChinaLocal(Now.AddHours(4));
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var deskEditor = await _factory.SignInAsync("desk-editor@example.com");
        var admin = await _factory.SignInAsync("admin@example.com");

        foreach (var (client, id, message) in new[]
        {
            (reporter, own, "您不能改期。"),
            (deskEditor, outside, ArticleAccessHandler.DeskMessage),
            (admin, outside, ArticleAccessHandler.AdministratorMessage),
        })
        {
            using var calendar = await ForcedRescheduleAsync(client, id, at);
            using var review = await ForcedReviewRescheduleAsync(client, id, at);
            Assert.Equal(HttpStatusCode.Forbidden, review.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, calendar.StatusCode);
            Assert.Equal([message], await ErrorsAsync(review, ".form-errors"));
            Assert.Equal([message], await ErrorsAsync(calendar, "#calendar-errors"));
        }
        // What someone may not see is not there to move, on the calendar as on the review page.
        using (var hidden = await ForcedRescheduleAsync(reporter, embargoed, at))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }
        using (var missing = await ForcedRescheduleAsync(reporter, 999_999, at))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        foreach (var id in new[] { own, outside, embargoed })
        {
            Assert.Equal(Now.AddHours(2), await PublishedAtAsync(id));
            Assert.DoesNotContain((await AuditAsync(id)), e => e.Action == AuditActions.Workflow(ReviewAction.Reschedule));
        }
    }

    [Fact]
    public async Task ReportWhoseMinuteHasCome_IsShownPublished_WithoutAForm_AndCannotBeMoved()
    {
        await UsersAsync();
        var id = await ReleasedAsync("已到时的定时稿件", Now.AddHours(1));
        var editor = await _factory.SignInAsync("editor@example.com");
        Assert.NotNull(Entry(await editor.GetPageAsync("/admin/calendar"), id)!.QuerySelector("form"));
        _factory.Clock.Advance(TimeSpan.FromMinutes(61));

        var page = await editor.GetPageAsync("/admin/calendar");
        using var forced = await ForcedRescheduleAsync(editor, id, WorkflowSteps.FormatChinaLocal(Now.AddHours(2)));

        Assert.Equal("已发布", Entry(page, id)!.QuerySelector(".calendar-state").Text());
        Assert.Null(Entry(page, id)!.QuerySelector("form"));
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Contains("读者已能看到", (await forced.ReadPageAsync()).QuerySelector("#calendar-errors").Text());
    }

    // ---- The dashboard ----

    [Fact]
    public async Task Dashboard_SaysHowManyReportsGoOutToday_AndLinksToTheCalendar()
    {
        await UsersAsync();
        await ReleasedAsync("今天下午发布的稿件一", Now.AddHours(2));
        await ReleasedAsync("今天晚上发布的稿件二", Now.AddHours(10));
        await ReleasedAsync("明天发布的稿件", Now.AddHours(13));
        await ReleasedAsync("今天上午已发布的稿件", Now.AddHours(-2));
        await ReleasedAsync("记者看不到的他人定时稿件", Now.AddHours(3), owner: "reporter2@example.com");
        var editor = await _factory.SignInAsync("editor@example.com");
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var page = await editor.GetPageAsync("/admin");

        Assert.Equal("今天待发布 3 篇 · 查看排期", page.QuerySelector("#pending-today").Text());
        Assert.Equal("/admin/calendar?view=week", page.QuerySelector("#pending-today a")!.GetAttribute("href"));
        Assert.Equal("0", (await reporter.GetPageAsync("/admin")).QuerySelector("#pending-today strong").Text());
    }
}
