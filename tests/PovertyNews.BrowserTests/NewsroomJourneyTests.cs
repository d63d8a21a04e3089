using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using PovertyNews.Web.Newsroom.Publishing;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// A report's life in a real browser: a reporter writes it with an image and a table, sees the live preview, lets
/// autosave keep it and submits it; two editors and the editor-in-chief pass it through 三审 and an editor schedules
/// it; readers on a phone and a desktop see it on the front page once the clock reaches its minute; an editor
/// withdraws it and it is gone.
/// </summary>
public sealed class NewsroomJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Title = "十八洞村猕猴桃基地扩种 带动村民务工增收";

    // An image the app serves itself (sample content), and a table, in the editor's own Markdown.
    private const string ImageAlt = "十八洞村山间梯田插图";
    private const string Body =
        "花垣县十八洞村的猕猴桃基地今年扩大种植面积，村民在基地务工。\n\n" +
        $"![{ImageAlt}](/images/samples/shibadong.jpg)\n\n" +
        "| 项目 | 数值 |\n| --- | --- |\n| 人均年收入 | 14668元 |\n| 支柱产业 | 6 个 |\n";
    private const string AutosavedParagraph = "基地负责人表示将继续吸纳本村劳动力。";

    [Fact]
    public async Task Report_WrittenPreviewedAutosavedReviewedScheduled_AppearsOnTime_ThenWithdrawnDisappears()
    {
        var id = await WriteAndSubmitAsync();

        await PassAsync(PortalFixture.Editor, id, "初审", "初审同意");
        await PassAsync(PortalFixture.SecondEditor, id, "复审", "复审同意");
        await PassAsync(PortalFixture.Chief, id, "终审", "同意发布");

        // 定时发布 two hours ahead, by the app's clock, in Beijing time as the form asks.
        var editor = await portal.SignInAsync(PortalFixture.Editor);
        await editor.GotoAsync($"/admin/articles/{id}");
        var dueUtc = portal.App.Clock.GetUtcNow().UtcDateTime.AddHours(2);
        await editor.GetByLabel("发布时间（北京时间）").FillAsync(WorkflowSteps.FormatChinaLocal(dueUtc));
        await editor.GetByRole(AriaRole.Button, new() { Name = "定时发布" }).ClickAsync();
        await Expect(editor.Locator("#article-status")).ToHaveTextAsync("定时发布");
        await Expect(editor.Locator(".review-bar__due")).ToContainTextAsync(WorkflowSteps.FormatChinaLocal(dueUtc).Replace('T', ' '));
        await Screenshots.SaveAsync(editor, "review-scheduled-1280");

        var phone = await portal.NewPageAsync(Screen.Phone);
        var desktop = await portal.NewPageAsync(Screen.Desktop);
        foreach (var reader in new[] { phone, desktop })
        {
            await reader.GotoAsync("/");
            await Expect(reader.Locator("main")).Not.ToContainTextAsync(Title);
            var early = await reader.GotoAsync($"/articles/{id}");
            Assert.Equal(404, early!.Status);
        }

        // The clock reaches the scheduled minute: readers see the report without anyone doing anything.
        portal.App.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        foreach (var (reader, screen) in new[] { (phone, Screen.Phone), (desktop, Screen.Desktop) })
        {
            await reader.GotoAsync("/");
            var link = reader.Locator(".latest a", new() { HasText = Title });
            await Expect(link).ToBeVisibleAsync();
            await link.ClickAsync();
            await Expect(reader.Locator("h1")).ToHaveTextAsync(Title);
            var image = reader.Locator($".article__body img[alt='{ImageAlt}']");
            await Expect(image).ToBeVisibleAsync();
            Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the image in the report loads");
            await Expect(reader.Locator(".article__body table td", new() { HasText = "14668元" })).ToBeVisibleAsync();
            await Expect(reader.Locator(".article__body")).ToContainTextAsync(AutosavedParagraph);
            await Screenshots.SaveAsync(reader, screen.Name("scheduled-article"));
        }

        // The schedule publisher's timer runs on the same clock and records the publication.
        await ExpectStatusAsync(editor, id, "已发布");

        // 撤稿: the report leaves the front page and its address says it was withdrawn.
        await editor.GetByLabel("撤稿理由（必填，仅编辑部可见）").FillAsync("数据需要核实");
        await editor.GetByRole(AriaRole.Button, new() { Name = "撤稿" }).ClickAsync();
        await Expect(editor.Locator("#article-status")).ToHaveTextAsync("已撤稿");
        foreach (var reader in new[] { phone, desktop })
        {
            await reader.GotoAsync("/");
            await Expect(reader.Locator("main")).Not.ToContainTextAsync(Title);
            var gone = await reader.GotoAsync($"/articles/{id}");
            Assert.Equal(410, gone!.Status);
            await Expect(reader.Locator("main")).ToContainTextAsync("撤回");
        }
    }

    /// <summary>The reporter's part: write, preview, save, autosave, submit. Returns the article's id.</summary>
    private async Task<int> WriteAndSubmitAsync()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        // The editor autosaves every 30 seconds; the browser's clock is fast-forwarded instead of waited for.
        await page.Clock.InstallAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "编辑部导航" }).GetByRole(AriaRole.Link, new() { Name = "写稿" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("写稿");

        await page.GetByLabel("标题", new() { Exact = true }).FillAsync(Title);
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        await page.GetByLabel("标签").FillAsync("十八洞村、产业扶贫");
        await (await ArticleEditor.MarkdownAsync(page)).FillAsync(Body);

        // Live preview: the server renders the Markdown as it will on the article page.
        var preview = page.Locator("#editor-preview");
        await Expect(preview.Locator($"img[alt='{ImageAlt}']")).ToBeVisibleAsync();
        await Expect(preview.Locator("table td", new() { HasText = "14668元" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "editor-preview-1280");

        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        var id = int.Parse(Regex.Match(page.Url, @"/articles/(\d+)/edit").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator(".editor-head .status-badge")).ToHaveTextAsync("草稿");

        // Autosave: a change, thirty seconds later, is stored without pressing 保存.
        var body = await ArticleEditor.MarkdownAsync(page);
        await body.FillAsync(Body + "\n" + AutosavedParagraph + "\n");
        await page.Clock.FastForwardAsync("00:31");
        await Expect(page.Locator("#editor-status")).ToContainTextAsync("已自动保存");
        await page.ReloadAsync();
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(new Regex(Regex.Escape(AutosavedParagraph)));

        // 送审 from the review page.
        await page.GetByRole(AriaRole.Link, new() { Name = "审核与发布" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "送审" }).ClickAsync();
        await Expect(page.Locator("#article-status")).ToHaveTextAsync("待初审");
        await page.Context.CloseAsync();
        return id;
    }

    private async Task PassAsync(string email, int id, string level, string note)
    {
        var page = await portal.SignInAsync(email);
        await page.GotoAsync($"/admin/articles/{id}");
        await Expect(page.Locator("h1")).ToHaveTextAsync(Title);
        await page.GetByLabel($"{level}意见（可选）").FillAsync(note);
        await page.GetByRole(AriaRole.Button, new() { Name = $"通过（{level}）" }).ClickAsync();
        await Expect(page.Locator("#article-status")).ToContainTextAsync($"已{level}");
        await Expect(page.Locator(".review-history")).ToContainTextAsync(note);
        await page.Context.CloseAsync();
    }

    /// <summary>Reloads the review page until the status shows (the background job answers within moments).</summary>
    private static async Task ExpectStatusAsync(IPage page, int id, string status)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await page.GotoAsync($"/admin/articles/{id}");
            if ((await page.Locator("#article-status").TextContentAsync())?.Trim() == status)
            {
                return;
            }
            await Task.Delay(200);
        }
        await Expect(page.Locator("#article-status")).ToHaveTextAsync(status);
    }
}
