using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.BulkActions;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// 批量操作 from the article list and the staff search: each selected report is checked against the access policy and
/// the domain rules on its own; what is allowed is done, and the report back names every report not done and why.
/// </summary>
public sealed class BulkActionTests(NoBackgroundJobsApp shared) : IClassFixture<NoBackgroundJobsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<int> ChannelAsync(string slug) => _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    private async Task<int> PublishedAsync(string title, params string[] tags) => await _factory.WithDbAsync(async db =>
    {
        var channel = await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync();
        var article = new ArticleBuilder(channel, title).Body($"{title}的正文").Tags([.. tags.Select(t => new Tag { Name = t })]).Build();
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    });

    /// <summary>Posts the list's bulk form with <paramref name="ids"/> ticked and the bar filled with <paramref name="values"/>.</summary>
    private static async Task<HttpResponseMessage> BulkAsync(HttpClient client, string listUrl, IEnumerable<int> ids, Dictionary<string, string?> values)
    {
        var page = await client.GetPageAsync(listUrl);
        var fields = Newsroom.FieldsOf(page, "#bulk-form", values);
        fields.AddRange(ids.Select(id => new KeyValuePair<string, string>("Input.Ids", id.ToString())));
        return await client.PostAsync(((IHtmlFormElement)page.QuerySelector("#bulk-form")!).GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    /// <summary>Follows the redirect back to the list and returns its 批量操作 report.</summary>
    private static async Task<AngleSharp.Dom.IElement> ReportAsync(HttpClient client, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"bulk answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var page = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        return page.QuerySelector("#bulk-report") ?? throw new Xunit.Sdk.XunitException("no bulk report on the list");
    }

    [Fact]
    public async Task Recycle_MixedSelection_DeletesTheOwnDraft_RefusesThePublishedOne_AndSaysWhy()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var draft = await _factory.CreateDraftAsync("reporter@example.com", "我的草稿一");
        var published = await PublishedAsync("已经发布的报道");
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var list = await reporter.GetPageAsync("/admin/articles");
        Assert.NotNull(list.QuerySelector($"#bulk-form input[name='Input.Ids'][value='{draft}']"));
        Assert.NotNull(list.QuerySelector("#bulk-form [data-bulk-all]"));

        using var response = await BulkAsync(reporter, "/admin/articles", [draft, published], new() { ["Input.Action"] = nameof(BulkAction.Recycle) });
        var report = await ReportAsync(reporter, response);

        Assert.Equal("1 篇已移入回收站；1 篇未处理。", report.QuerySelector(".bulk-report__summary").Text());
        var note = Assert.Single(report.QuerySelectorAll(".bulk-report__notes li"));
        Assert.Contains("已经发布的报道", note.TextContent);
        Assert.Contains("读者看到过的稿件不能删除，只能撤稿", note.TextContent);
        Assert.Equal(ArticleStatus.Recycled, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == draft).Select(a => a.Status).SingleAsync()));
        Assert.Equal(ArticleStatus.Published, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == published).Select(a => a.Status).SingleAsync()));
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ArticlesBulk));
        Assert.Contains("选中 2 篇", audit.Details);
    }

    [Fact]
    public async Task Move_EditorWithADesk_MovesWhatIsOnTheDesk_RefusesTheRest()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var (xiezuo, tuopin, chanye) = (await ChannelAsync("xiezuo"), await ChannelAsync("tuopin"), await ChannelAsync("chanye"));
        await _factory.WithDbAsync(async db =>
        {
            var editorId = await db.Users.Where(u => u.Email == "editor@example.com").Select(u => u.Id).SingleAsync();
            db.DeskAssignments.Add(new DeskAssignment { UserId = editorId, ChannelId = tuopin });
            return await db.SaveChangesAsync();
        });
        var onDesk = await _factory.CreateDraftAsync("reporter@example.com", "脱贫栏目的草稿", "tuopin");
        var offDesk = await _factory.CreateDraftAsync("reporter@example.com", "协作栏目的草稿", "xiezuo");
        var there = await _factory.CreateDraftAsync("reporter@example.com", "已在产业扶贫的草稿", "chanye");
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await BulkAsync(editor, "/admin/articles", [onDesk, offDesk, there],
            new() { ["Input.Action"] = nameof(BulkAction.Move), ["Input.ChannelId"] = chanye.ToString() });
        var report = await ReportAsync(editor, response);

        Assert.Equal("1 篇已移动；1 篇无需处理；1 篇未处理。", report.QuerySelector(".bulk-report__summary").Text());
        Assert.Contains("这篇稿件所在的栏目不在您的责任栏目内", report.TextContent);
        Assert.Contains("已在该栏目", report.TextContent);
        var channels = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == onDesk || a.Id == offDesk)
            .OrderBy(a => a.Id).Select(a => a.ChannelId).ToListAsync());
        Assert.Equal([chanye, xiezuo], channels);
    }

    [Fact]
    public async Task Move_PublishedReport_BecomesAChangeInReview_ReadersKeepTheOldChannel()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var published = await PublishedAsync("协作成果展示");
        var jiuye = await ChannelAsync("jiuye");
        var editor = await _factory.SignInAsync("editor@example.com");

        using var response = await BulkAsync(editor, "/admin/search?q=" + Uri.EscapeDataString("协作成果展示"), [published],
            new() { ["Input.Action"] = nameof(BulkAction.Move), ["Input.ChannelId"] = jiuye.ToString() });
        var report = await ReportAsync(editor, response);

        Assert.Contains("1 篇已通过审核的稿件改为待审修改并已送审", report.Text());
        var row = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == published)
            .Select(a => new { a.ChannelId, a.PendingState, a.Status }).SingleAsync());
        Assert.NotEqual(jiuye, row.ChannelId);
        Assert.Equal((ChangeState.InReview, ArticleStatus.Published), (row.PendingState, row.Status));
    }

    [Fact]
    public async Task AddAndRemoveTag_OnDrafts_ChangesTheirTags_AnInvalidTagIsRefusedWith400()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var first = await _factory.CreateDraftAsync("editor@example.com", "草稿甲");
        var second = await _factory.CreateDraftAsync("editor@example.com", "草稿乙");
        var editor = await _factory.SignInAsync("editor@example.com");
        Task<List<string>> TagsAsync(int id) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).SelectMany(a => a.Tags.Select(t => t.Name)).ToListAsync());

        using (var added = await BulkAsync(editor, "/admin/articles", [first, second], new() { ["Input.Action"] = nameof(BulkAction.AddTag), ["Input.Tag"] = " 东西部协作 " }))
        {
            Assert.Equal("2 篇已添加标签。", (await ReportAsync(editor, added)).QuerySelector(".bulk-report__summary").Text());
        }
        Assert.Equal(["东西部协作"], await TagsAsync(first));
        Assert.Equal(["东西部协作"], await TagsAsync(second));

        using (var removed = await BulkAsync(editor, "/admin/articles", [first], new() { ["Input.Action"] = nameof(BulkAction.RemoveTag), ["Input.Tag"] = "东西部协作" }))
        {
            Assert.Equal("1 篇已移除标签。", (await ReportAsync(editor, removed)).QuerySelector(".bulk-report__summary").Text());
        }
        Assert.Empty(await TagsAsync(first));

        using var invalid = await BulkAsync(editor, "/admin/articles", [first], new() { ["Input.Action"] = nameof(BulkAction.AddTag), ["Input.Tag"] = "a/b" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("不能含有“/”", (await invalid.ReadPageAsync()).QuerySelector("#bulk-refusal").Text());
    }

    [Fact]
    public async Task Withdraw_NeedsAReason_ThenWithdrawsThePublished_AndRefusesTheDraft()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var published = await PublishedAsync("要撤下的报道");
        var draft = await _factory.CreateDraftAsync("editor@example.com", "还是草稿");
        var editor = await _factory.SignInAsync("editor@example.com");

        using (var noReason = await BulkAsync(editor, "/admin/articles", [published], new() { ["Input.Action"] = nameof(BulkAction.Withdraw) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.Contains("撤稿须填写理由", (await noReason.ReadPageAsync()).QuerySelector("#bulk-refusal").Text());
        }
        using var response = await BulkAsync(editor, "/admin/articles", [published, draft],
            new() { ["Input.Action"] = nameof(BulkAction.Withdraw), ["Input.Reason"] = "数据有误" });
        var report = await ReportAsync(editor, response);

        Assert.Equal("1 篇已撤稿；1 篇未处理。", report.QuerySelector(".bulk-report__summary").Text());
        Assert.Contains("只有已发布或定时发布的稿件可以撤稿", report.TextContent);
        var row = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == published).Select(a => new { a.Status, a.WithdrawalReason }).SingleAsync());
        Assert.Equal((ArticleStatus.Withdrawn, "数据有误"), (row.Status, row.WithdrawalReason));
        await _factory.CreateClient().GetPageAsync($"/articles/{published}", 410);
    }

    [Fact]
    public async Task Selection_EmptyOrOverTheLimit_Answers400WithTheReason_NothingChanges()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var draft = await _factory.CreateDraftAsync("editor@example.com", "草稿丙");
        var editor = await _factory.SignInAsync("editor@example.com");

        using (var none = await BulkAsync(editor, "/admin/articles", [], new() { ["Input.Action"] = nameof(BulkAction.Recycle) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
            Assert.Contains("请先勾选要处理的稿件", (await none.ReadPageAsync()).QuerySelector("#bulk-refusal").Text());
        }
        using var many = await BulkAsync(editor, "/admin/articles", Enumerable.Range(draft, BulkActionService.MaxBatch + 1),
            new() { ["Input.Action"] = nameof(BulkAction.Recycle) });

        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains($"一次最多处理 {BulkActionService.MaxBatch} 篇稿件，您选了 {BulkActionService.MaxBatch + 1} 篇", (await many.ReadPageAsync()).Body!.TextContent);
        Assert.Equal(ArticleStatus.Draft, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == draft).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Administrator_SeesNoBulkBar_AndChangesNothingByPosting()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
        var draft = await _factory.CreateDraftAsync("editor@example.com", "编辑的草稿");
        var admin = await _factory.SignInAsync("admin@example.com");
        Assert.Null((await admin.GetPageAsync("/admin/articles")).QuerySelector("#bulk-bar"));
        var editor = await _factory.SignInAsync("editor@example.com");
        var page = await editor.GetPageAsync("/admin/articles");
        var fields = Newsroom.FieldsOf(page, "#bulk-form", new() { ["Input.Action"] = nameof(BulkAction.Recycle) });
        fields.RemoveAll(f => f.Key == "__RequestVerificationToken");
        var token = (await admin.GetPageAsync("/admin/articles")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        fields.Add(new("__RequestVerificationToken", token));
        fields.Add(new("Input.Ids", draft.ToString()));

        using var response = await admin.PostAsync("/admin/articles/bulk", new FormUrlEncodedContent(fields));
        var report = await ReportAsync(admin, response);

        Assert.Contains("管理员可以查看所有稿件，但不能修改", report.TextContent);
        Assert.Equal(ArticleStatus.Draft, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == draft).Select(a => a.Status).SingleAsync()));
    }
}
