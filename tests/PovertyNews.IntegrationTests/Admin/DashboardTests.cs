using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>工作台 and the article list: what each person is shown, and only that.</summary>
public sealed class DashboardTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task UsersAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
    }

    private static string Block(AngleSharp.Html.Dom.IHtmlDocument page, string id) => page.QuerySelector($"#{id}").Text();

    [Fact]
    public async Task ReportersDraft_IsUnderMyDraftsForThemOnly()
    {
        await UsersAsync();
        await _factory.CreateDraftAsync("reporter@example.com", "职校培训班结业草稿");

        var mine = await (await _factory.SignInAsync("reporter@example.com")).GetPageAsync("/admin");
        var other = await (await _factory.SignInAsync("reporter2@example.com")).GetPageAsync("/admin");

        Assert.Equal("工作台", mine.QuerySelector("h1").Text());
        Assert.Equal("page", mine.QuerySelector(".admin-nav a[href='/admin']")!.GetAttribute("aria-current"));
        Assert.Contains("职校培训班结业草稿", Block(mine, "my-drafts"));
        Assert.Null(mine.QuerySelector("#to-review"));
        Assert.DoesNotContain("职校培训班结业草稿", other.QuerySelector("main").Text());
    }

    [Fact]
    public async Task SubmittedArticle_WaitsForEachReviewerOnlyAtTheirLevel()
    {
        await UsersAsync();
        var id = await _factory.CreateDraftAsync("reporter@example.com", "东西部协作签约报道");
        await (await _factory.SignInAsync("reporter@example.com")).StepOkAsync(id, "submit");
        var editor = await _factory.SignInAsync("editor@example.com");
        var editor2 = await _factory.SignInAsync("editor2@example.com");
        var chief = await _factory.SignInAsync("chief@example.com");

        var first = await editor.GetPageAsync("/admin");
        Assert.Contains("东西部协作签约报道", Block(first, "to-review"));
        Assert.Contains("待初审", Block(first, "to-review"));
        Assert.Contains("东西部协作签约报道", Block(await chief.GetPageAsync("/admin"), "to-review"));
        Assert.Equal($"/admin/articles/{id}", first.QuerySelector("#to-review li a")!.GetAttribute("href"));

        await editor.StepOkAsync(id, "pass");

        Assert.DoesNotContain("东西部协作签约报道", Block(await editor.GetPageAsync("/admin"), "to-review"));
        Assert.Contains("东西部协作签约报道", Block(await editor2.GetPageAsync("/admin"), "to-review"));

        await editor2.StepOkAsync(id, "pass");

        Assert.DoesNotContain("东西部协作签约报道", Block(await editor2.GetPageAsync("/admin"), "to-review"));
        await _factory.CreateUserAsync("editor3@example.com", NewsRoles.Editor);
        var editor3 = await _factory.SignInAsync("editor3@example.com");
        Assert.DoesNotContain("东西部协作签约报道", Block(await editor3.GetPageAsync("/admin"), "to-review"));
        Assert.Contains("已复审 · 待终审", Block(await chief.GetPageAsync("/admin"), "to-review"));
    }

    [Fact]
    public async Task SentBackDraft_ShowsTheReasonToItsReporter()
    {
        await UsersAsync();
        var id = await _factory.CreateDraftAsync("reporter@example.com", "需要补充数据的稿件");
        var reporter = await _factory.SignInAsync("reporter@example.com");
        await reporter.StepOkAsync(id, "submit");
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "sendback", "请补充 2019 年的对比数据");

        var page = await reporter.GetPageAsync("/admin");

        Assert.Contains("退回理由：请补充 2019 年的对比数据", Block(page, "my-drafts"));
    }

    [Fact]
    public async Task ScheduledAndWithdrawn_ShowTheirTimeAndReason()
    {
        await UsersAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        var scheduled = await _factory.WithDbAsync(async db =>
        {
            var channelId = db.Channels.First().Id;
            var now = _factory.Clock.GetUtcNow().UtcDateTime;
            var article = new ArticleBuilder(channelId, "明早发布的稿件").PublishedAt(now.AddHours(10)).Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article;
        });
        var jinan = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        await editor.StepOkAsync(jinan, "withdraw", "版权方要求撤下");

        var page = await editor.GetPageAsync("/admin");

        Assert.Contains("明早发布的稿件", Block(page, "scheduled"));
        Assert.Contains($"定于 {ChinaTime.FormatDateTime(scheduled.PublishedAt!.Value)}（北京时间）", Block(page, "scheduled"));
        Assert.Contains("理由：版权方要求撤下", Block(page, "recently-withdrawn"));
        Assert.DoesNotContain("济南市党政代表团赴湘西考察扶贫协作并出席高层联席会议", Block(page, "recently-published"));
        Assert.Equal(10, page.QuerySelectorAll("#recently-published li").Length);
    }

    [Fact]
    public async Task AdministratorWithoutEditorialRole_GetsAHintInsteadOfLists()
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);

        var page = await (await _factory.SignInAsync("admin@example.com")).GetPageAsync("/admin");

        Assert.Contains("没有采编角色", page.QuerySelector("main").Text());
        Assert.Null(page.QuerySelector("#my-drafts"));
    }

    [Fact]
    public async Task Dashboard_SendsTheSameNumberOfQueriesWhateverTheNewsroomHolds()
    {
        await UsersAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.GetPageAsync("/admin");
        _factory.Commands.Reset();
        await editor.GetPageAsync("/admin");
        var few = _factory.Commands.Count;
        for (var i = 0; i < 15; i++)
        {
            await _factory.CreateDraftAsync("editor@example.com", $"批量草稿{i}");
        }

        _factory.Commands.Reset();
        var page = await editor.GetPageAsync("/admin");

        Assert.Equal(few, _factory.Commands.Count);
        Assert.Equal(10, page.QuerySelectorAll("#my-drafts li").Length);
    }

    // ---- The article list ----

    [Fact]
    public async Task ArticleList_ShowsReportersTheirOwnAndWhatReadersSee_EditorsEverything()
    {
        await UsersAsync();
        var id = await _factory.CreateDraftAsync("reporter@example.com", "李记者的稿件");
        await _factory.CreateDraftAsync("reporter2@example.com", "王记者的稿件");

        var reporter = await (await _factory.SignInAsync("reporter@example.com")).GetPageAsync("/admin/articles");
        var editor = await _factory.SignInAsync("editor@example.com");
        var all = await editor.GetPageAsync("/admin/articles");

        // The list shows what the access policy lets a person open: a reporter's own articles and the published ones.
        var rows = reporter.QuerySelectorAll(".article-table tbody tr");
        Assert.DoesNotContain(rows, r => r.Text().Contains("王记者的稿件"));
        Assert.Contains(rows, r => r.Text().Contains("济南"));
        var row = rows.First();
        Assert.Contains("李记者的稿件", row.Text());
        var mine = await (await _factory.SignInAsync("reporter@example.com")).GetPageAsync("/admin/articles?mine=true");
        Assert.Single(mine.QuerySelectorAll(".article-table tbody tr"));
        Assert.Contains("草稿", row.QuerySelector(".status-badge").Text());
        Assert.Contains("reporter", row.Text());
        Assert.Equal($"/admin/articles/{id}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("page", reporter.QuerySelector(".admin-nav a[href='/admin/articles']")!.GetAttribute("aria-current"));
        var titles = all.QuerySelectorAll(".article-table tbody tr td:first-child").Select(td => td.Text()).ToList();
        Assert.Equal(["王记者的稿件", "李记者的稿件"], titles.Take(2));
        Assert.Contains(titles, t => t.Contains("济南"));
        Assert.Empty((await editor.GetPageAsync("/admin/articles?mine=true")).QuerySelectorAll(".article-table tbody tr"));
    }

    [Fact]
    public async Task ArticleList_FiltersByStatusAndChannelAndPages()
    {
        await UsersAsync();
        var reviewId = await _factory.CreateDraftAsync("reporter@example.com", "审核中的产业稿", channelSlug: "chanye");
        await (await _factory.SignInAsync("reporter@example.com")).StepOkAsync(reviewId, "submit");
        for (var i = 0; i < 35; i++)
        {
            await _factory.CreateDraftAsync("reporter2@example.com", $"分页草稿{i:D2}");
        }
        var editor = await _factory.SignInAsync("editor@example.com");

        var review = await editor.GetPageAsync("/admin/articles?status=review");
        var tuopin = await editor.GetPageAsync($"/admin/articles?channel={await ChannelIdAsync("tuopin")}&status=review");
        var xiezuo = await editor.GetPageAsync($"/admin/articles?channel={await ChannelIdAsync("xiezuo")}&status=review");
        var drafts = await editor.GetPageAsync("/admin/articles?status=draft");
        var second = await editor.GetPageAsync(drafts.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!);
        var odd = await editor.GetPageAsync("/admin/articles?status=nonsense&channel=abc&page=-3");

        Assert.Equal("审核中的产业稿", review.QuerySelector(".article-table tbody tr td a").Text());
        Assert.Equal("待初审", review.QuerySelector(".article-table .status-badge").Text());
        Assert.Single(tuopin.QuerySelectorAll(".article-table tbody tr"));
        Assert.Empty(xiezuo.QuerySelectorAll(".article-table tbody tr"));
        Assert.Equal(30, drafts.QuerySelectorAll(".article-table tbody tr").Length);
        Assert.Contains("status=draft", drafts.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.True(second.QuerySelectorAll(".article-table tbody tr").Length >= 6);
        Assert.NotEmpty(odd.QuerySelectorAll(".article-table tbody tr"));
    }

    private Task<int> ChannelIdAsync(string slug) =>
        _factory.WithDbAsync(db => Task.FromResult(db.Channels.Single(c => c.Slug == slug).Id));
}
