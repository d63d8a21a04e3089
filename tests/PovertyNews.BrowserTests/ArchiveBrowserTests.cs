using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// Archive work in a real browser: the 批量操作 bar on the article list at 1280 px and on a 360 px phone (select all,
/// the count, only the field the action needs, the report back), the recycle bin and tag administration; valid HTML
/// and no serious axe-core finding. Saves the README's screenshots bulk-1280, bulk-360, recycle-bin-1280, tags-360.
/// </summary>
public sealed class ArchiveBrowserTests(ArchiveBrowserTests.Fixture portal) : IClassFixture<ArchiveBrowserTests.Fixture>
{
    [Fact]
    public async Task Desktop_SelectAll_MoveToAChannel_ThenTheReportAndTheRecycleBin()
    {
        var page = await portal.SignInAsync(PortalFixture.Editor);
        await page.GotoAsync("/admin/articles?status=draft");
        var bar = page.Locator("#bulk-bar");
        await Expect(bar.GetByLabel("目标栏目")).ToBeHiddenAsync();
        await page.GetByLabel("全选本页稿件").CheckAsync();
        var drafts = await page.Locator("input[name='Input.Ids']").CountAsync();
        await Expect(bar.Locator("[data-bulk-count]")).ToHaveTextAsync($"已选 {drafts} 篇");
        await bar.GetByLabel("批量操作").SelectOptionAsync(new SelectOptionValue { Label = "移动到栏目" });
        await Expect(bar.GetByLabel("目标栏目")).ToBeVisibleAsync();
        await Expect(bar.GetByLabel("标签")).ToBeHiddenAsync();
        await bar.GetByLabel("目标栏目").SelectOptionAsync(new SelectOptionValue { Label = "脱贫攻坚 › 就业扶贫" });
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "bulk-1280", firstScreen: true);
        await bar.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();

        await Expect(page.Locator("#bulk-report .bulk-report__summary")).ToHaveTextAsync($"{drafts} 篇已移动。");

        // Deleting asks first; the recycle bin then lists them with who and how long they stay.
        await page.GotoAsync("/admin/articles?status=draft");
        await page.Locator("input[name='Input.Ids']").First.CheckAsync();
        await bar.GetByLabel("批量操作").SelectOptionAsync(new SelectOptionValue { Label = "删除（移入回收站）" });
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await bar.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Expect(page.Locator("#bulk-report .bulk-report__summary")).ToHaveTextAsync("1 篇已移入回收站。");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "编辑部导航" }).GetByRole(AriaRole.Link, new() { Name = "回收站" }).ClickAsync();
        await Expect(page.Locator(".recycle-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator(".recycle-table tbody tr")).ToContainTextAsync("王编辑");
        await Expect(page.Locator(".validation-summary")).ToHaveTextAsync("");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "recycle-bin-1280", firstScreen: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_TheBarFitsTheScreen_AndAWithdrawalAsksForItsReason()
    {
        var page = await portal.SignInAsync(PortalFixture.Chief, Screen.Phone);
        await page.GotoAsync("/admin/articles?status=published");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways");
        var bar = page.Locator("#bulk-bar");
        await page.Locator("input[name='Input.Ids']").First.CheckAsync();
        await bar.GetByLabel("批量操作").SelectOptionAsync(new SelectOptionValue { Label = "撤稿" });
        var reason = bar.GetByLabel("撤稿理由（必填，仅编辑部可见）");
        await Expect(reason).ToBeVisibleAsync();
        var box = await bar.GetByRole(AriaRole.Button, new() { Name = "执行" }).BoundingBoxAsync();
        Assert.True(box!.Width >= 300 && box.X + box.Width <= 360, $"the button is {box.Width} px wide at {box.X}");
        await Screenshots.SaveAsync(page, "bulk-360", firstScreen: true);
        // The browser holds a withdrawal without its reason.
        await bar.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        Assert.True(await reason.EvaluateAsync<bool>("e => !e.validity.valid"), "the reason is required");

        await page.GotoAsync("/admin/tags");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the tag list scrolls sideways");
        await Axe.AssertNoSeriousViolationsAsync(page);
        await Screenshots.SaveAsync(page, "tags-360", firstScreen: true);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ArchivePages_PassTheNuHtmlChecker()
    {
        var editor = await portal.SignInAsync(PortalFixture.Editor);
        var chief = await portal.SignInAsync(PortalFixture.Chief);
        var folder = Path.Combine(AppContext.BaseDirectory, "html-archive");
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var (name, page, path) in new[]
        {
            ("articles-bulk", editor, "/admin/articles"),
            ("search-bulk", editor, "/admin/search?q=" + Uri.EscapeDataString("湘西")),
            ("recycle-bin", chief, "/admin/recycle-bin"),
            ("tags", chief, "/admin/tags"),
            ("tag-edit", chief, $"/admin/tags/{portal.TagId}"),
        })
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
        await editor.Context.CloseAsync();
        await chief.Context.CloseAsync();
    }

    /// <summary>The portal with a few drafts of the editor's, one already in the recycle bin, and a tag to manage.</summary>
    public sealed class Fixture : PortalFixture
    {
        public int TagId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var channel = await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync();
            var editor = await db.Users.Where(u => u.Email == Editor).Select(u => u.Id).SingleAsync();
            var now = App.Clock.GetUtcNow().UtcDateTime;
            var tag = new Tag { Name = "劳务协作" };
            foreach (var title in new[] { "花垣县劳务协作站工作计划", "保靖县茶园用工需求摸底", "吉首市职业培训课程表" })
            {
                var article = new Article { Slug = "archive-" + Guid.NewGuid().ToString("N")[..12], Title = title, Summary = title,
                    ChannelId = channel, OwnerId = editor, CreatedAt = now, UpdatedAt = now, Tags = [tag] };
                article.SetBody($"{title}。", $"<p>{title}。</p>");
                db.Articles.Add(article);
            }
            await db.SaveChangesAsync();
            TagId = tag.Id;
        }
    }
}
