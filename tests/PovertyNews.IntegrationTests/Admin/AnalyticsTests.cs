using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 传播数据 against seeded daily reads: totals, the previous period, days, channels, the top list, the CSV files, the
/// charts, who may see what, and bad period input.
/// </summary>
public sealed class AnalyticsTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Seed(DateOnly Today, int ChannelA, int ChannelAChild, int ChannelB, int A1, int A2, int B1, int Withdrawn, int Draft);

    /// <summary>
    /// Channels 统计甲 (with the sub-channel 统计甲子) and 统计乙; A1 in 甲, A2 (the reporter's) in 甲子, B1 in 乙, a
    /// withdrawn and a draft article in 甲 whose reads must never count. Over the last 7 days (T-7..T-1): A1 111,
    /// B1 55, A2 30 = 196; the 7 days before (T-14..T-8): B1 20, A2 4 = 24; today: A1 1000, left out of presets.
    /// </summary>
    private async Task<Seed> SeedAsync()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("deskeditor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.Today(now);
        return await _factory.WithDbAsync(async db =>
        {
            var users = await db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id);
            var a = new Channel { Slug = "tongji-jia", Name = "统计甲", SortOrder = 90 };
            var b = new Channel { Slug = "tongji-yi", Name = "统计乙", SortOrder = 91 };
            db.Channels.AddRange(a, b);
            await db.SaveChangesAsync();
            var aChild = new Channel { Slug = "tongji-jiazi", Name = "统计甲子", ParentId = a.Id, SortOrder = 0 };
            db.Channels.Add(aChild);
            await db.SaveChangesAsync();
            db.DeskAssignments.Add(new DeskAssignment { UserId = users["deskeditor@example.com"], ChannelId = b.Id });

            var published = now.AddDays(-20);
            var a1 = new ArticleBuilder(a.Id, "甲栏目最受欢迎的报道").PublishedAt(published).Build();
            var a2 = new ArticleBuilder(aChild.Id, "记者自己的子栏目报道").PublishedAt(published.AddDays(1)).Owner(users["reporter@example.com"]).Build();
            var b1 = new ArticleBuilder(b.Id, "乙栏目的报道，含逗号").PublishedAt(published.AddDays(2)).Build();
            var withdrawn = new ArticleBuilder(a.Id, "已撤下的报道").PublishedAt(published).Withdrawn().Build();
            var draft = new ArticleBuilder(a.Id, "还在写的草稿").Draft().Build();
            db.Articles.AddRange(a1, a2, b1, withdrawn, draft);
            await db.SaveChangesAsync();

            void Reads(Article article, int daysAgo, long views) =>
                db.ArticleDailyViews.Add(new ArticleDailyViews { ArticleId = article.Id, Day = today.AddDays(-daysAgo), Views = views });
            Reads(a1, 1, 100); Reads(a2, 1, 30); Reads(b1, 1, 50); Reads(withdrawn, 1, 999); Reads(draft, 1, 7);
            Reads(a1, 2, 10); Reads(b1, 2, 5);
            Reads(a1, 7, 1);
            Reads(b1, 8, 20);
            Reads(a2, 9, 4);
            Reads(a1, 0, 1000);
            await db.SaveChangesAsync();
            return new Seed(today, a.Id, aChild.Id, b.Id, a1.Id, a2.Id, b1.Id, withdrawn.Id, draft.Id);
        });
    }

    private static string Day(DateOnly today, int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd");

    private static string Text(AngleSharp.Html.Dom.IHtmlDocument page, string selector) => page.QuerySelector(selector).Text();

    private static List<int> TopIds(AngleSharp.Html.Dom.IHtmlDocument page) =>
        [.. page.QuerySelectorAll("#top-table tbody tr").Select(r => int.Parse(r.GetAttribute("data-id")!))];

    [Fact]
    public async Task Last7Days_IsTheDefault_WithTotalsPreviousPeriodDaysChannelsAndTopArticles()
    {
        var s = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/analytics");

        Assert.Equal("传播数据", Text(page, "h1"));
        Assert.Equal("page", page.QuerySelector(".admin-nav a[href='/admin/analytics']")!.GetAttribute("aria-current"));
        Assert.Contains($"{Day(s.Today, 7)} 至 {Day(s.Today, 1)}", Text(page, "#summary-title"));
        Assert.Equal("196", Text(page, "#total-reads"));
        Assert.Equal("24", Text(page, "#previous-reads"));
        Assert.Contains($"{Day(s.Today, 14)} 至 {Day(s.Today, 8)}", Text(page, ".analytics-figures"));
        Assert.Equal("+716.7%", Text(page, "#reads-change"));
        Assert.Equal("28", Text(page, "#daily-average"));

        var days = page.QuerySelectorAll("#daily-table tbody tr").Select(r => r.Text()).ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal(Day(s.Today, 7), page.QuerySelector("#daily-table tbody td").Text());
        Assert.Equal([1, 0, 0, 0, 0, 15, 180], page.QuerySelectorAll("#daily-table tbody td.num").Select(td => int.Parse(td.Text())));

        var channels = page.QuerySelectorAll("#channels-table tbody tr")
            .Select(r => string.Join("|", r.QuerySelectorAll("td").Select(td => td.Text()))).ToList();
        Assert.Equal(["统计甲|1|111|56.6%", "统计乙|1|55|28.1%", "统计甲子|1|30|15.3%"], channels);

        Assert.Equal([s.A1, s.B1, s.A2], TopIds(page));
        var first = page.QuerySelector("#top-table tbody tr")!;
        Assert.Equal($"/admin/articles/{s.A1}", first.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal($"/admin/analytics/articles/{s.A1}", first.QuerySelector(".analytics-links a")!.GetAttribute("href"));
        Assert.StartsWith($"/articles/{s.A1}/", first.QuerySelectorAll(".analytics-links a")[1].GetAttribute("href"));
        Assert.DoesNotContain("已撤下的报道", page.QuerySelector("main").Text());
        Assert.DoesNotContain("还在写的草稿", page.QuerySelector("main").Text());
    }

    [Fact]
    public async Task Presets_CustomRangeAndChannelFilter_CountTheirOwnDays()
    {
        var s = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var yesterday = await editor.GetPageAsync("/admin/analytics?range=yesterday");
        Assert.Equal("180", Text(yesterday, "#total-reads"));
        Assert.Equal("15", Text(yesterday, "#previous-reads"));

        var month = await editor.GetPageAsync("/admin/analytics?range=30d");
        Assert.Equal("220", Text(month, "#total-reads"));
        Assert.Equal(30, month.QuerySelectorAll("#daily-table tbody tr").Length);

        // Dates without a range are a custom range; a custom range may include today.
        var custom = await editor.GetPageAsync($"/admin/analytics?from={Day(s.Today, 9)}&to={Day(s.Today, 0)}");
        Assert.Equal("1220", Text(custom, "#total-reads").Replace(",", ""));
        Assert.Equal("custom", custom.QuerySelector("#analytics-range option[selected]")!.GetAttribute("value"));
        Assert.Equal([s.A1, s.B1, s.A2], TopIds(custom));

        // A channel includes its sub-channels.
        var jia = await editor.GetPageAsync($"/admin/analytics?range=7d&channel={s.ChannelA}");
        Assert.Equal("141", Text(jia, "#total-reads"));
        Assert.Equal("4", Text(jia, "#previous-reads"));
        Assert.Equal([s.A1, s.A2], TopIds(jia));
        Assert.Equal(s.ChannelA.ToString(), jia.QuerySelector("#analytics-channel option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task CsvFiles_HoldTheTablesExactly_WithAByteOrderMarkAndDefusedFormulas()
    {
        var s = await SeedAsync();
        await _factory.WithDbAsync(async db =>
        {
            await db.Articles.Where(a => a.Id == s.B1).ExecuteUpdateAsync(u => u.SetProperty(a => a.Title, "=HYPERLINK(\"x\"),乙栏目"));
        });
        var editor = await _factory.SignInAsync("editor@example.com");

        async Task<string[]> CsvAsync(string url)
        {
            using var response = await editor.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.ToString());
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
            return Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        }

        string[] days = ["日期,阅读", .. Enumerable.Range(1, 7).Reverse().Select(d => $"{Day(s.Today, d)},{(d switch { 7 => 1, 2 => 15, 1 => 180, _ => 0 })}")];
        Assert.Equal(days, await CsvAsync("/admin/analytics?handler=csv&table=days"));
        string[] channels = ["栏目,栏目编号,有阅读的稿件,阅读,占比", $"统计甲,{s.ChannelA},1,111,56.6%", $"统计乙,{s.ChannelB},1,55,28.1%", $"统计甲子,{s.ChannelAChild},1,30,15.3%"];
        Assert.Equal(channels, await CsvAsync("/admin/analytics?handler=csv&table=channels&range=7d"));
        var articles = await CsvAsync($"/admin/analytics?handler=csv&table=articles&range=7d&channel={s.ChannelB}");
        Assert.Equal(2, articles.Length);
        Assert.Equal("名次,稿件编号,标题,栏目,发布时间（北京时间）,阅读,网址", articles[0]);
        Assert.StartsWith($"1,{s.B1},\"'=HYPERLINK(\"\"x\"\"),乙栏目\",统计乙,", articles[1]);
        Assert.Matches($@",55,http://localhost/articles/{s.B1}/test-article-[^,]+$", articles[1]);

        var article = await CsvAsync($"/admin/analytics/articles/{s.A2}?handler=csv");
        Assert.Equal("日期,阅读", article[0]);
        Assert.Contains($"{Day(s.Today, 9)},4", article);
        Assert.Contains($"{Day(s.Today, 1)},30", article);
        Assert.Equal($"{Day(s.Today, 0)},0", article[^1]);
    }

    [Fact]
    public async Task Charts_AreSvgImages_WithTheirNumbersAlsoInText_AndNoInlineStyle()
    {
        await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync("/admin/analytics");
        var img = page.QuerySelector("#daily img")!;
        Assert.Contains("共 196 次", img.GetAttribute("alt"));
        Assert.Contains("180 次", img.GetAttribute("alt"));
        var narrow = page.QuerySelector("#daily source")!.GetAttribute("srcset")!;
        Assert.Contains("size=narrow", narrow);

        var charts = new List<(string Url, string Width)>
        {
            (img.GetAttribute("src")!, "760"), (narrow, "340"), (page.QuerySelector("#channels img")!.GetAttribute("src")!, "760"),
        };
        foreach (var (url, width) in charts)
        {
            using var response = await editor.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
            var svg = await response.Content.ReadAsStringAsync();
            Assert.Contains($"width=\"{width}\"", svg);
            // The site's CSP (style-src 'self') would drop style attributes; presentation attributes are allowed.
            Assert.DoesNotContain("style=", svg);
            Assert.Contains("<text", svg);
        }
        var channels = await editor.GetStringAsync(page.QuerySelector("#channels img")!.GetAttribute("src")!);
        Assert.Contains(">统计甲</text>", channels);
        Assert.Contains(">111</text>", channels);
    }

    [Fact]
    public async Task ArticlePage_ShowsItsDaysSincePublication_ToEditorsAndItsOwnReporterOnly()
    {
        var s = await SeedAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        var reporter = await _factory.SignInAsync("reporter@example.com");

        var page = await editor.GetPageAsync($"/admin/analytics/articles/{s.A1}");
        Assert.Equal("阅读数据：甲栏目最受欢迎的报道", Text(page, "h1"));
        Assert.Equal("1,111", Text(page, "#article-total"));
        // From its publication (T-20), but not before the site's first recorded read (T-9): T-9..today.
        Assert.Equal(10, page.QuerySelectorAll("#daily-table tbody tr").Length);
        Assert.Equal(Day(s.Today, 9), page.QuerySelectorAll("#daily-table tbody tr").Last().QuerySelector("td").Text());
        Assert.Contains("1,000", Text(page, "#daily-table tbody tr"));

        var own = await reporter.GetPageAsync($"/admin/analytics/articles/{s.A2}");
        Assert.Equal("34", Text(own, "#article-total"));
        Assert.Null(own.QuerySelector("a[href='/admin/analytics']"));
        using var others = await reporter.GetAsync($"/admin/analytics/articles/{s.A1}");
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Contains("只能查看自己稿件的阅读数据", await others.Content.ReadAsStringAsync());
        using var othersChart = await reporter.GetAsync($"/admin/analytics/articles/{s.A1}?handler=chart");
        Assert.Equal(HttpStatusCode.Forbidden, othersChart.StatusCode);
        using var missing = await editor.GetAsync("/admin/analytics/articles/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The review page links to it for those who may see it.
        Assert.NotNull((await reporter.GetPageAsync($"/admin/articles/{s.A2}")).QuerySelector("#reads-link"));
        Assert.Null((await reporter.GetPageAsync($"/admin/articles/{s.A1}")).QuerySelector("#reads-link"));
        Assert.Equal($"/admin/analytics/articles/{s.A1}", (await editor.GetPageAsync($"/admin/articles/{s.A1}")).QuerySelector("#reads-link")!.GetAttribute("href"));
    }

    private async Task ReadAsync(int id, string reader, string? referrer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
        request.Headers.UserAgent.ParseAdd($"Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 Reader/{reader}");
        if (referrer is not null)
        {
            request.Headers.Referrer = new Uri(referrer);
        }
        (await _factory.CreateReader().SendAsync(request)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Sources_KeepOnlyTheReferringHost_AndAddUpToTheReads()
    {
        var s = await SeedAsync();
        await ReadAsync(s.A1, "1", "https://www.baidu.com/s?wd=%E6%B9%98%E8%A5%BF&uid=12345");
        await ReadAsync(s.A1, "2", "https://www.baidu.com/link?url=abc");
        await ReadAsync(s.A1, "3", "https://mp.weixin.qq.com/s/private-share-token");
        await ReadAsync(s.A1, "4", null);
        await ReadAsync(s.A1, "5", "http://localhost/channels/yaowen");
        await ReadAsync(s.B1, "6", "https://www.baidu.com/s?wd=b");
        await _factory.Services.GetRequiredService<ViewFlushService>().FlushAsync();

        // Hosts only: no path, no query, nothing of the reader.
        var rows = await _factory.WithDbAsync(db => db.ArticleDailyReferrers.Where(r => r.ArticleId == s.A1)
            .OrderBy(r => r.Host).Select(r => new { r.Day, r.Host, r.Views }).ToListAsync());
        Assert.Equal([("", 1L), ("(站内)", 1L), ("mp.weixin.qq.com", 1L), ("www.baidu.com", 2L)], rows.Select(r => (r.Host, r.Views)));
        Assert.All(rows, r => Assert.Equal(s.Today, r.Day));

        var editor = await _factory.SignInAsync("editor@example.com");
        var today = Day(s.Today, 0);
        var page = await editor.GetPageAsync($"/admin/analytics?from={today}&to={today}");
        var table = page.QuerySelectorAll("#sources-table tbody tr").Select(r => string.Join("|", r.QuerySelectorAll("td").Select(c => c.Text().Trim()))).ToList();
        // Today: A1's 1,000 seeded reads and the 6 new ones; the seeded ones have no recorded source.
        Assert.Equal(["百度（www.baidu.com）|3|0.3%", "直接访问|1|0.1%", "站内|1|0.1%", "微信（mp.weixin.qq.com）|1|0.1%", "来源未记录|1,000|99.4%"], table);

        var channel = await editor.GetPageAsync($"/admin/analytics?from={today}&to={today}&channel={s.ChannelB}");
        Assert.Equal("百度（www.baidu.com）|1|100.0%", string.Join("|", channel.QuerySelectorAll("#sources-table tbody tr td").Select(c => c.Text().Trim())));

        using var csv = await editor.GetAsync($"/admin/analytics?handler=csv&table=sources&from={today}&to={today}");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("来源,主机名,阅读,占比", lines[0]);
        Assert.Equal("百度（www.baidu.com）,www.baidu.com,3,0.3%", lines[1]);
        Assert.Equal("来源未记录,,1000,99.4%", lines[^1]);

        var article = await editor.GetPageAsync($"/admin/analytics/articles/{s.B1}");
        Assert.Contains("百度（www.baidu.com）", article.QuerySelector("#sources-table")!.Text());
    }

    [Fact]
    public async Task Overview_IsForEditorsAndAdministrators_ADeskDoesNotNarrowIt_ReportersAreRefused()
    {
        await SeedAsync();

        using var asReporter = await (await _factory.SignInAsync("reporter@example.com")).GetAsync("/admin/analytics");
        Assert.Equal(HttpStatusCode.Forbidden, asReporter.StatusCode);
        using var reporterCsv = await (await _factory.SignInAsync("reporter@example.com")).GetAsync("/admin/analytics?handler=csv&table=articles");
        Assert.Equal(HttpStatusCode.Forbidden, reporterCsv.StatusCode);
        var reporterHome = await (await _factory.SignInAsync("reporter@example.com")).GetPageAsync("/admin");
        Assert.Null(reporterHome.QuerySelector("a[href='/admin/analytics']"));
        Assert.Null(reporterHome.QuerySelector("#yesterday-reads"));

        // A desk limits what an editor does, not what they read.
        var desk = await (await _factory.SignInAsync("deskeditor@example.com")).GetPageAsync("/admin/analytics");
        Assert.Equal("196", Text(desk, "#total-reads"));
        var admin = await (await _factory.SignInAsync("admin@example.com")).GetPageAsync("/admin/analytics");
        Assert.Equal("196", Text(admin, "#total-reads"));

        using var signedOut = await _factory.CreateReader().GetAsync("/admin/analytics");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ShowsYesterdaysReads_AgainstTheDayBefore_WithTheMostRead()
    {
        var s = await SeedAsync();

        foreach (var email in new[] { "editor@example.com", "admin@example.com" })
        {
            var page = await (await _factory.SignInAsync(email)).GetPageAsync("/admin");
            var block = page.QuerySelector("#yesterday-reads")!;
            Assert.Contains(Day(s.Today, 1), Text(page, "#yesterday-reads-title"));
            Assert.Equal("180 次", block.QuerySelector(".dashboard__figure").Text());
            Assert.Contains("前一天 15 次 · +1100.0%", block.Text());
            Assert.Equal([$"/admin/analytics/articles/{s.A1}", $"/admin/analytics/articles/{s.B1}", $"/admin/analytics/articles/{s.A2}"],
                block.QuerySelectorAll("li a").Select(a => a.GetAttribute("href")));
            Assert.NotNull(block.QuerySelector("a[href='/admin/analytics?range=yesterday']"));
        }
    }

    [Theory]
    [InlineData("range=forever", "时间范围“forever”无效")]
    [InlineData("range=custom", "自定义时间范围需要开始日期。")]
    [InlineData("range=custom&from=2026-02-30&to=2026-03-01", "开始日期“2026-02-30”不是有效的日期")]
    [InlineData("from=2026-03-02&to=2026-03-01", "结束日期不能早于开始日期。")]
    [InlineData("from=2024-01-01&to=2025-01-02", "时间范围最长 366 天，所选为 368 天。")]
    [InlineData("from=2020-01-01&to=2999-01-01", "结束日期不能晚于今天")]
    [InlineData("channel=999999", "所选栏目不存在")]
    [InlineData("channel=abc", "所选栏目不存在")]
    public async Task BadPeriodInput_Answers400WithTheReason_OnThePageTheCsvAndTheChart(string query, string message)
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync($"/admin/analytics?{query}", expectedStatus: 400);
        Assert.Contains(message, Text(page, ".analytics-errors"));
        Assert.Null(page.QuerySelector("#total-reads"));
        Assert.NotNull(page.QuerySelector("form.analytics-filters"));

        foreach (var handler in new List<string> { "csv&table=days", "chart&chart=daily" })
        {
            using var response = await editor.GetAsync($"/admin/analytics?handler={handler}&{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task UnknownTableOrChart_Answers400()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("editor@example.com");

        using var table = await editor.GetAsync("/admin/analytics?handler=csv&table=users");
        Assert.Equal(HttpStatusCode.BadRequest, table.StatusCode);
        using var chart = await editor.GetAsync("/admin/analytics?handler=chart&chart=pie");
        Assert.Equal(HttpStatusCode.BadRequest, chart.StatusCode);
    }
}
