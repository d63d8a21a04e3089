using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// 传播数据 in Chromium under the site's real CSP: the SVG charts load as images (the phone gets the narrow drawing),
/// the page fits a 360 px screen, axe finds nothing serious. Screenshots analytics-1280 and analytics-360.
/// </summary>
public sealed class AnalyticsBrowserTests(AnalyticsBrowserTests.Fixture portal) : IClassFixture<AnalyticsBrowserTests.Fixture>
{
    /// <summary>The portal with 60 days of reads of the sample articles: a weekly rhythm, newer reports read more.</summary>
    public sealed class Fixture : PortalFixture
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var today = ChinaTime.Today(App.Clock.GetUtcNow().UtcDateTime);
            var articles = await db.Articles.Where(a => a.Status == ArticleStatus.Published).OrderByDescending(a => a.PublishedAt)
                .Select(a => a.Id).ToListAsync();
            for (var rank = 0; rank < articles.Count; rank++)
            {
                for (var daysAgo = 0; daysAgo <= 60; daysAgo++)
                {
                    var day = today.AddDays(-daysAgo);
                    // Deterministic, so the screenshots change only when the page does.
                    var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
                    var views = (long)(weekday * (400.0 / (rank + 1)) * (1 + ((articles[rank] * 7 + daysAgo * 13) % 10) / 10.0));
                    if (views > 0)
                    {
                        db.ArticleDailyViews.Add(new ArticleDailyViews { ArticleId = articles[rank], Day = day, Views = views });
                    }
                }
            }
            await db.SaveChangesAsync();
        }
    }

    [Theory]
    [InlineData(Screen.Desktop)]
    [InlineData(Screen.Phone)]
    public async Task Analytics_ChartsLoadUnderTheCsp_AndThePageFitsTheScreen(Screen screen)
    {
        var page = await portal.SignInAsync(PortalFixture.Editor, screen);
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };

        await page.GotoAsync("/admin");
        await Screenshots.SaveAsync(page, screen.Name("dashboard-reads"), firstScreen: true);
        await page.Locator("#yesterday-reads").GetByRole(AriaRole.Link, new() { Name = "最近 7 天" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("传播数据");

        foreach (var chart in new[] { "#daily img", "#channels img" })
        {
            var image = page.Locator(chart);
            await image.ScrollIntoViewIfNeededAsync();
            await Expect(image).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await image.EvaluateAsync<int>("i => i.naturalWidth") > 0, $"{chart} did not load");
            var source = await image.EvaluateAsync<string>("i => i.currentSrc");
            Assert.Equal(screen == Screen.Phone, source.Contains("size=narrow", StringComparison.Ordinal));
        }
        await page.Locator("#top").ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        Assert.Empty(blocked);
        // Wide tables scroll inside their box; the page itself never scrolls sideways.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= (screen == Screen.Phone ? 360 : 1280));
        await Screenshots.SaveAsync(page, screen.Name("analytics"), firstScreen: true);
        await Axe.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task TypingADate_MakesTheRangeCustom_AndOneArticlesPageOpensFromTheTopList()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor);
        await page.GotoAsync("/admin/analytics");
        var to = await page.Locator("#analytics-to").InputValueAsync();

        await page.Locator("#analytics-from").FillAsync(DateOnly.Parse(to).AddDays(-13).ToString("yyyy-MM-dd"));
        await Expect(page.Locator("#analytics-range")).ToHaveValueAsync("custom");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Expect(page.Locator("#daily-table tbody tr")).ToHaveCountAsync(14);

        await page.Locator("#top-table tbody tr").First.GetByRole(AriaRole.Link, new() { Name = "阅读趋势" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("阅读数据：");
        var image = page.Locator("#daily img");
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("i => i.naturalWidth") > 0);
        await Screenshots.SaveAsync(page, "analytics-article-1280");
    }
}
