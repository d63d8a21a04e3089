using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// 消息 in a real browser: an editor coming in in the morning sees the unread count in the header, opens the inbox
/// and finds what waits, at 1280 px and on a 360 px phone, with no serious axe-core finding. Saves the README's
/// screenshots inbox-1280 and inbox-360.
/// </summary>
public sealed class InboxBrowserTests(InboxBrowserTests.Fixture portal) : IClassFixture<InboxBrowserTests.Fixture>
{
    [Fact]
    public async Task Desktop_HeaderCountLeadsToTheInbox_AndOneIsMarkedRead()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor);
        var counter = page.Locator("#inbox-counter");
        await Expect(counter).ToHaveAttributeAsync("aria-label", "消息，4 条未读消息");
        await counter.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("消息");
        await Expect(page.Locator(".inbox-item")).ToHaveCountAsync(6);
        await Expect(page.Locator(".inbox-item--unread")).ToHaveCountAsync(4);
        await Expect(page.Locator(".inbox-item").First).ToContainTextAsync(Fixture.Newest);
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "inbox-1280", firstScreen: true);

        await page.Locator(".inbox-item").First.GetByRole(AriaRole.Button, new() { Name = "标为已读" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("已标为已读。");
        await Expect(page.Locator(".inbox-item--unread")).ToHaveCountAsync(3);
        await Expect(counter).ToHaveAttributeAsync("aria-label", "消息，3 条未读消息");

        await page.Locator(".inbox-item--unread").First.Locator(".inbox-item__text a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/articles/\\d+$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Desktop_ASearchIsSavedWithAnAlert_AndListed()
    {
        var page = await portal.SignInAsync(PortalFixture.SecondEditor);
        await page.GotoAsync("/admin/search?q=" + Uri.EscapeDataString("湘西"));
        await page.GetByText("保存此检索").ClickAsync();
        await page.GetByLabel("名称").FillAsync("湘西报道");
        await page.GetByLabel("有新稿件时提醒").CheckAsync();
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "saved-search-form-1280", firstScreen: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("我的检索");
        await Expect(page.Locator(".flash")).ToContainTextAsync("有新稿件发布时会提醒您");
        await Expect(page.Locator(".saved-search__name a")).ToHaveTextAsync("湘西报道");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "saved-searches-1280", firstScreen: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_InboxFitsTheScreen()
    {
        var page = await portal.SignInAsync(PortalFixture.Chief, Screen.Phone);
        await page.GotoAsync("/admin/inbox");
        await Expect(page.Locator(".inbox-item--unread")).ToHaveCountAsync(2);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "inbox-360", firstScreen: true);

        await page.GotoAsync("/admin/inbox/settings");
        await Expect(page.Locator("#email-unavailable")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the settings scroll sideways");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The portal after a night's work: reports in review and sent back, one published on schedule, one corrected,
    /// and the notifications they left for the editor and the editor-in-chief (a few already read).
    /// </summary>
    public sealed class Fixture : PortalFixture
    {
        public const string Newest = "泸溪县椪柑产业园获评省级示范园";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var now = App.Clock.GetUtcNow().UtcDateTime;
            var users = await db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id);
            var channel = await db.Channels.Where(c => c.Slug == "chanye").Select(c => c.Id).SingleAsync();
            (string Title, string Text, NotificationKind Kind, string Actor, double HoursAgo, bool Read)[] night =
            [
                ("十八洞村猕猴桃基地扩种 带动村民务工增收", "待初审，由李记者送审", NotificationKind.ReviewWaiting, "李记者", 14, true),
                ("保靖黄金茶春茶开采 茶农人均增收三千元", "已按定时于 {0} 发布", NotificationKind.Published, "", 11, true),
                ("凤凰县腊肉加工厂获评扶贫龙头企业", "的修改待初审", NotificationKind.ReviewWaiting, "赵编辑", 9, false),
                ("龙山县百合产业链项目开工", "被退回（陈总编）：请补充项目投资额和带动就业人数", NotificationKind.SentBack, "陈总编", 3, false),
                ("湘西州脱贫人口务工规模保持稳定", "待复审，初审已由赵编辑通过", NotificationKind.ReviewWaiting, "赵编辑", 1.5, false),
                (Newest, "待初审，由李记者送审", NotificationKind.ReviewWaiting, "李记者", 0.4, false),
            ];
            foreach (var (title, text, kind, actor, hoursAgo, read) in night)
            {
                var at = now.AddHours(-hoursAgo);
                var article = new Article
                {
                    Slug = "inbox-" + Guid.NewGuid().ToString("N")[..12], Title = title, Summary = title, ChannelId = channel,
                    OwnerId = users[Reporter], CreatedAt = at, UpdatedAt = at,
                };
                article.SetBody($"{title}。", $"<p>{title}。</p>");
                db.Articles.Add(article);
                await db.SaveChangesAsync();
                var line = kind switch
                {
                    NotificationKind.SentBack => $"您的稿件《{title}》{text}",
                    NotificationKind.Published => $"您的稿件《{title}》" + string.Format(System.Globalization.CultureInfo.InvariantCulture, text, ChinaTime.FormatDateTime(at)),
                    _ => $"稿件《{title}》{text}",
                };
                db.Notifications.Add(new Notification
                {
                    UserId = users[Editor], Kind = kind, ArticleId = article.Id, Text = line, ActorName = actor.Length == 0 ? null : actor,
                    CreatedAt = at, ReadAt = read ? at.AddMinutes(30) : null,
                });
                if (kind == NotificationKind.ReviewWaiting && hoursAgo < 2)
                {
                    db.Notifications.Add(new Notification { UserId = users[Chief], Kind = kind, ArticleId = article.Id, Text = line, ActorName = actor, CreatedAt = at });
                }
            }
            await db.SaveChangesAsync();
        }
    }
}
