using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// 排期 in a real browser: the month grid at 1280 px and the day list on a 360 px phone, with today's reports first
/// in view, no serious axe-core finding and valid HTML; 改期 with the mouse on the desktop and the keyboard on the
/// phone. Saves the README's screenshots calendar-1280 and calendar-360.
/// </summary>
public sealed class CalendarBrowserTests(CalendarBrowserTests.Fixture portal) : IClassFixture<CalendarBrowserTests.Fixture>
{
    [Fact]
    public async Task Desktop_MonthGridShowsTheWeeksReports_AndAReportIsMovedWithTheMouse()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "编辑部导航" }).GetByRole(AriaRole.Link, new() { Name = "排期" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("排期");

        var today = page.Locator(".calendar-day--today");
        await Expect(today.Locator(".calendar-day__today")).ToHaveTextAsync("今天");
        await Expect(today.Locator(".calendar-entry--pending")).ToHaveCountAsync(3);
        await Expect(today.Locator(".calendar-entry--published")).ToHaveCountAsync(1);
        // A grid: the seven days of a week side by side.
        var monday = await page.Locator("table.calendar-month tbody tr").First.Locator("td").First.BoundingBoxAsync();
        var sunday = await page.Locator("table.calendar-month tbody tr").First.Locator("td").Last.BoundingBoxAsync();
        Assert.Equal(monday!.Y, sunday!.Y);
        Assert.True(sunday.X > monday.X + 900, $"Sunday at {sunday.X}, Monday at {monday.X}");
        await Axe.AssertNoSeriousViolationsAsync(page);

        // 改期 of this evening's report to tomorrow evening: the form opens over the grid.
        var evening = page.Locator(".calendar-entry", new() { HasText = Fixture.EveningTitle });
        await evening.Locator("summary").ClickAsync();
        var input = evening.GetByLabel("新的发布时间（北京时间）");
        await Expect(input).ToBeVisibleAsync();
        var tomorrow = portal.Today.AddDays(1);
        await input.FillAsync($"{tomorrow:yyyy-MM-dd}T20:00");
        await Screenshots.SaveAsync(page, "calendar-1280", firstScreen: true);
        await evening.GetByRole(AriaRole.Button, new() { Name = "改期" }).ClickAsync();

        await Expect(page.Locator(".flash")).ToHaveTextAsync($"《{Fixture.EveningTitle}》已改期：{tomorrow:yyyy-MM-dd} 20:00（北京时间）发布。");
        await Expect(page.Locator($"#day-{tomorrow:yyyy-MM-dd} .calendar-entry", new() { HasText = Fixture.EveningTitle })).ToBeVisibleAsync();
        await Expect(today.Locator(".calendar-entry--pending")).ToHaveCountAsync(2);

        await page.GotoAsync("/admin/calendar?view=week");
        await Expect(page.Locator("ol.calendar-week > li")).ToHaveCountAsync(7);
        await Screenshots.SaveAsync(page, "calendar-week-1280");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_MonthIsADayList_TodayFirstInView_AndAReportIsMovedWithTheKeyboard()
    {
        var page = await portal.SignInAsync(PortalFixture.Chief, Screen.Phone);
        await page.GotoAsync("/admin/calendar");

        // No sideways scrolling, no weekday header, only days with reports (and today), each named in full.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways");
        await Expect(page.Locator("table.calendar-month thead")).ToBeHiddenAsync();
        var today = page.Locator(".calendar-day--today");
        await Expect(today.Locator(".calendar-day__long")).ToHaveTextAsync(CalendarLabel(portal.Today));
        var visibleDays = await page.Locator("table.calendar-month td:visible").CountAsync();
        var daysWithReports = await page.Locator("table.calendar-month td:not(.calendar-day--outside):has(.calendar-entry)").CountAsync();
        Assert.Equal(daysWithReports + (await today.Locator(".calendar-entry").CountAsync() == 0 ? 1 : 0), visibleDays);
        await page.Locator("#calendar-today-summary a").ClickAsync();
        await Expect(today).ToBeInViewportAsync();
        await Axe.AssertNoSeriousViolationsAsync(page);
        // The first screen after 跳到今天 is the README's phone picture: what goes out today.
        await Screenshots.SaveAsync(page, "calendar-360", firstScreen: true);

        // The keyboard alone: Tab reaches the disclosure, Enter opens it, the time is typed, Enter on 改期 sends it.
        var entry = page.Locator(".calendar-entry", new() { HasText = Fixture.TomorrowTitle });
        var summary = entry.Locator("summary");
        await summary.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await summary.EvaluateAsync<bool>("s => s === document.activeElement"), "Tab reaches 改期");
        await page.Keyboard.PressAsync("Enter");
        var input = entry.GetByLabel("新的发布时间（北京时间）");
        await Expect(input).ToBeVisibleAsync();
        var later = portal.Today.AddDays(2);
        await input.FillAsync($"{later:yyyy-MM-dd}T07:45");
        await entry.GetByRole(AriaRole.Button, new() { Name = "改期" }).PressAsync("Enter");

        await Expect(page.Locator(".flash")).ToContainTextAsync($"已改期：{later:yyyy-MM-dd} 07:45（北京时间）发布。");
        await Expect(page.Locator($"#day-{later:yyyy-MM-dd} .calendar-entry", new() { HasText = Fixture.TomorrowTitle })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MonthAndWeek_PassTheNuHtmlChecker()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor);
        var folder = Path.Combine(AppContext.BaseDirectory, "html-calendar");
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var (name, path) in new[] { ("calendar-month", "/admin/calendar"), ("calendar-week", "/admin/calendar?view=week") })
        {
            var response = await page.Context.APIRequest.GetAsync(path);
            Assert.Equal(200, response.Status);
            var file = Path.Combine(folder, name + ".html");
            await File.WriteAllBytesAsync(file, await response.BodyAsync());
            files.Add(file);
        }

        var report = await NuHtmlChecker.CheckAsync(files);

        foreach (var file in files)
        {
            var errors = report[Path.GetFileName(file)];
            Assert.True(errors.Count == 0, $"{file} has {errors.Count} HTML error(s):\n" + string.Join("\n", errors.Select(e => "  " + e)));
        }
        await page.Context.CloseAsync();
    }

    private static string CalendarLabel(DateOnly day) =>
        $"{day.Month}月{day.Day}日 {new[] { "星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六" }[(int)day.DayOfWeek]}";

    /// <summary>
    /// The portal with the clock on the coming Wednesday at 09:30 in Beijing (a morning in mid-week, whatever day the
    /// tests run) and a newsroom's fortnight of reports around it, in several channels.
    /// </summary>
    public sealed class Fixture : PortalFixture
    {
        public const string EveningTitle = "济南—湘西劳务协作专场招聘会今晚直播";
        public const string TomorrowTitle = "花垣县职业技能培训班第三期结业";

        public DateOnly Today { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var now = App.Clock.GetUtcNow().UtcDateTime;
            var day = ChinaTime.Today(now);
            day = day.AddDays(((int)DayOfWeek.Wednesday - (int)day.DayOfWeek + 7) % 7);
            var morning = ChinaTime.StartOfDayUtc(day).AddHours(9.5);
            if (morning <= now)
            {
                morning = morning.AddDays(7);
                day = day.AddDays(7);
            }
            App.Clock.AdjustTime(new DateTimeOffset(morning));
            Today = day;

            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var channels = await db.Channels.ToDictionaryAsync(c => c.Slug, c => c.Id);
            (int Days, double Hour, string Channel, string Title)[] reports =
            [
                (-8, 8.5, "xiezuo", "济南市与湘西州召开东西部协作联席会议"),
                (-8, 10, "chanye", "保靖黄金茶春茶开采 茶农人均增收三千元"),
                (-8, 14, "jiuye", "湘西籍务工人员返岗专列抵达济南"),
                (-8, 16.5, "xiaozhen", "芙蓉镇非遗工坊吸纳百余名留守妇女就业"),
                (-2, 8, "yuqing", "各地部署巩固拓展脱贫攻坚成果同乡村振兴有效衔接"),
                (-2, 15.5, "chanye", "十八洞村猕猴桃基地扩种 带动村民务工增收"),
                (-1, 9, "xiezuo", "济南援建的湘西州职教园区投入使用"),
                (-1, 11, "xiaozhen", "矮寨镇特色小镇规划公示"),
                (-1, 17, "tuopin", "湘西州脱贫人口务工规模保持稳定"),
                (0, 8, "xiezuo", "鲁湘两地签署新一轮消费帮扶协议"),
                (0, 11, "chanye", "凤凰县腊肉加工厂获评扶贫龙头企业"),
                (0, 15, "yuqing", "东西部协作考核评价办法征求意见"),
                (0, 19.5, "jiuye", EveningTitle),
                (1, 9, "jiuye", TomorrowTitle),
                (1, 10.5, "xiaozhen", "十八洞村民宿接待游客创新高"),
                (2, 10, "chanye", "龙山县百合产业链项目开工"),
                (5, 8.5, "xiezuo", "济南—湘西干部人才交流座谈会召开"),
                (9, 9, "tuopin", "湘西州易地搬迁安置点配套学校开学"),
            ];
            foreach (var (days, hour, channel, title) in reports)
            {
                var article = new Article
                {
                    Slug = "calendar-" + Guid.NewGuid().ToString("N")[..12],
                    Title = title,
                    Summary = title,
                    ChannelId = channels[channel],
                    CreatedAt = morning,
                    UpdatedAt = morning,
                };
                article.SetBody($"{title}。", $"<p>{title}。</p>");
                article.Publish(morning, ChinaTime.StartOfDayUtc(day.AddDays(days)).AddHours(hour));
                db.Articles.Add(article);
            }
            await db.SaveChangesAsync();
        }
    }
}
