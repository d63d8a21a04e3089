using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>稿签: the approval record shows, per level, the hash of the very text that level passed, and says whether readers see it.</summary>
public sealed class ApprovalRecordTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
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

    /// <summary>The hash of the article's text as stored now, computed here from the database, not by the page.</summary>
    private Task<string> StoredHashAsync(int id) =>
        _factory.WithDbAsync(async db => ApprovalText.Of(await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id)).Sha256());

    /// <summary>
    /// A report written in the editor, submitted and passed at 初审; edited by the second editor, which starts its review
    /// again; then passed at 初审, 复审 and 终审 and published, each through the real forms. Returns the hash of the text
    /// the first 初审 passed, then of the text the second round passed (twice: every level of it passed the same text).
    /// </summary>
    private async Task<(int Id, string[] Passed)> ThroughThreeLevelsAsync()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "十八洞村的六项产业",
            "猕猴桃、黄牛、山泉水。\r\n\r\n乡村旅游带动了就业。", new() { ["Input.Tags"] = "湘西、十八洞村", ["Input.Author"] = "本网记者" });
        await reporter.StepOkAsync(id, "submit");

        var first = await StoredHashAsync(id);
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass", "事实已核对");

        var editor2 = await _factory.SignInAsync("editor2@example.com");
        using (var saved = await editor2.SaveInEditorAsync(id, new() { ["Input.Body"] = "猕猴桃、黄牛、山泉水、苗绣。\n\n乡村旅游带动了就业。" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        var second = await StoredHashAsync(id);
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass", "修改后重新核对");
        await editor2.StepOkAsync(id, "pass", "补充了苗绣");
        await (await _factory.SignInAsync("chief@example.com")).StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "publish");
        return (id, [first, second, second]);
    }

    private static string Hash(IElement row) => row.QuerySelector(".approval-hash")!.TextContent.Trim();

    [Fact]
    public async Task ThreeLevelsPassed_EachRowShowsTheHashOfTheTextThatLevelPassed()
    {
        var (id, passed) = await ThroughThreeLevelsAsync();
        var chief = await _factory.SignInAsync("chief@example.com");

        var page = await chief.GetPageAsync($"/admin/articles/{id}/approval");

        // The first round ended at 初审 when the second editor changed the text; the second round passed every level.
        var first = Assert.Single(page.QuerySelectorAll("#cycle-1 tr.approval-pass"));
        Assert.Equal((passed[0], "第 1 版", "事实已核对"),
            (Hash(first), first.QuerySelector(".approval-revision")!.TextContent.Trim(), first.QuerySelector(".approval-note")!.TextContent));
        Assert.Contains("重新审核（修改后）", page.QuerySelector("#cycle-2-title")!.TextContent);
        var rows = page.QuerySelectorAll("#cycle-2 tr.approval-pass");
        Assert.Equal(["初审", "复审", "终审"], rows.Select(r => r.QuerySelector("th")!.TextContent.Trim()));
        Assert.Equal([passed[1], passed[1], passed[1]], rows.Select(Hash));
        Assert.Equal(["editor", "editor2", "chief"], rows.Select(r => r.Children[1].TextContent.Trim()));
        // Revision 1 was written at creation, 2 by the second editor's save.
        Assert.Equal(["第 2 版", "第 2 版", "第 2 版"], rows.Select(r => r.QuerySelector(".approval-revision")!.TextContent.Trim()));
        Assert.NotEqual(passed[0], passed[1]);
        Assert.Equal("与上一级所审文本相同", rows[2].QuerySelector(".approval-same")!.TextContent);

        // The revision the record names holds exactly the text that was passed.
        var revision2 = await _factory.WithDbAsync(db => db.ArticleRevisions.SingleAsync(r => r.ArticleId == id && r.Number == 2));
        Assert.Equal(passed[2], ApprovalText.Of(revision2).Sha256());

        var release = Assert.Single(page.QuerySelectorAll("tr.approval-release"));
        Assert.Equal("发布", release.QuerySelector("th")!.TextContent.Trim());
        Assert.Equal(passed[2], Hash(release));

        var statement = page.QuerySelector("#approval-statement")!;
        Assert.Contains("读者看到的文本与终审通过的文本一致", statement.TextContent);
        Assert.Equal(passed[2], statement.QuerySelector("#current-hash")!.TextContent);
        Assert.Null(page.QuerySelector("#approval-mismatch"));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("#approval-article-id")!.TextContent);
        Assert.Equal("十八洞村的六项产业", page.QuerySelector("#approval-article-title")!.TextContent);
        Assert.Contains("北京时间", page.QuerySelector(".approval-meta")!.TextContent);
        Assert.Equal(3, page.QuerySelectorAll(".approval-signatures tr").Length);
    }

    [Fact]
    public async Task LiveTextChangedBehindTheWorkflow_ShowsTheMismatchWarningAndTheDiff()
    {
        var (id, passed) = await ThroughThreeLevelsAsync();
        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Title = "十八洞村的七项产业";
            return await db.SaveChangesAsync();
        });
        var now = await StoredHashAsync(id);
        var editor = await _factory.SignInAsync("editor@example.com");

        var page = await editor.GetPageAsync($"/admin/articles/{id}/approval");

        var warning = page.QuerySelector("#approval-mismatch")!;
        Assert.Contains("读者看到的文本与终审通过的文本不一致", warning.TextContent);
        Assert.Equal(passed[2], warning.QuerySelector("#passed-hash")!.TextContent);
        Assert.Equal(now, warning.QuerySelector("#current-hash")!.TextContent);
        Assert.NotEqual(passed[2], now);
        Assert.DoesNotContain("一致（SHA-256", page.QuerySelector("#approval-statement")!.TextContent.Replace("不一致", ""));
        var diff = page.QuerySelector("#approval-statement table.diff")!;
        Assert.Contains("终审通过的文本（第 2 版）", diff.QuerySelector("thead")!.TextContent);
        var changed = diff.QuerySelectorAll("td.diff-text.diff-line--modified").Select(td => td.TextContent).ToList();
        // Each changed line starts with a visually hidden "修改：" for screen readers.
        Assert.Equal(["修改：标题：十八洞村的六项产业", "修改：标题：十八洞村的七项产业"], changed);
    }

    [Fact]
    public async Task CorrectionAfterPublishing_PassesItsOwnReview_AndReadersSeeExactlyTheTextItsLastLevelPassed()
    {
        var (id, passed) = await ThroughThreeLevelsAsync();
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.StepOkAsync(id, "correct", "第二段的人数应为 750 人");

        // In review, the 更正 is not yet the text readers see: the record still matches the report's final pass.
        var during = await editor.GetPageAsync($"/admin/articles/{id}/approval");
        Assert.Null(during.QuerySelector("#approval-mismatch"));
        Assert.Equal(passed[2], during.QuerySelector("#current-hash")!.TextContent);

        await _factory.ApproveChangeAsync(editor, id);
        var page = await editor.GetPageAsync($"/admin/articles/{id}/approval");

        Assert.Contains("修改送审", page.QuerySelector("#cycle-3-title")!.TextContent);
        var change = page.QuerySelectorAll("#cycle-3 tr.approval-pass").Select(Hash).ToList();
        Assert.Equal(3, change.Count);
        var now = await StoredHashAsync(id);
        Assert.NotEqual(passed[2], now);
        Assert.Equal(now, change[2]);
        Assert.Equal(now, page.QuerySelector("#current-hash")!.TextContent);
        Assert.Null(page.QuerySelector("#approval-mismatch"));
        Assert.Contains("修改生效", page.QuerySelectorAll("tr.approval-release th").Select(th => th.TextContent.Trim()));
    }

    [Fact]
    public async Task SentBackCycle_IsMarkedWithItsReason_AndTheNewCycleShowsTheLevelsStillToPass()
    {
        await UsersAsync();
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "苗绣合作社", "苗绣带动了就业。");
        await reporter.StepOkAsync(id, "submit");
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.StepOkAsync(id, "pass");
        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "sendback", "导语缺少时间和地点");
        await reporter.StepOkAsync(id, "submit");

        var page = await editor.GetPageAsync($"/admin/articles/{id}/approval");

        var sentBack = page.QuerySelector("#cycle-1")!;
        Assert.Equal("退回", sentBack.QuerySelector(".approval-mark")!.TextContent);
        Assert.Contains("理由：导语缺少时间和地点", sentBack.QuerySelector("tr.approval-sent-back")!.TextContent);
        Assert.Single(sentBack.QuerySelectorAll("tr.approval-pass"));
        var open = page.QuerySelector("#cycle-2")!;
        Assert.Null(open.QuerySelector(".approval-mark"));
        Assert.Equal(3, open.QuerySelectorAll("tr.approval-pending").Length);
        Assert.Contains("尚无通过全部审核的记录", page.QuerySelector("#approval-statement")!.TextContent);
    }

    [Fact]
    public async Task PassRecordedBeforeTheApprovalRecord_SaysThatNoHashWasKept()
    {
        var (id, _) = await ThroughThreeLevelsAsync();
        await _factory.WithDbAsync(db => db.ArticleReviews.Where(r => r.ArticleId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.TextSha256, (string?)null).SetProperty(r => r.RevisionNumber, (int?)null)));
        var chief = await _factory.SignInAsync("chief@example.com");

        var page = await chief.GetPageAsync($"/admin/articles/{id}/approval");

        Assert.All(page.QuerySelectorAll("tr.approval-pass"),
            row => Assert.Equal("该级审核早于稿签功能，未记录文本摘要", row.QuerySelector(".approval-unrecorded")!.TextContent));
        Assert.Empty(page.QuerySelectorAll("tr.approval-pass .approval-hash"));
        Assert.Contains("终审审核早于稿签功能，未记录文本摘要", page.QuerySelector("#approval-statement")!.TextContent);
        Assert.Null(page.QuerySelector("#approval-mismatch"));
    }

    [Fact]
    public async Task ReviewPage_LinksToTheRecord_WhichWhoeverMayViewTheArticleMaySee_AndAnotherReporterGets404BeforePublication()
    {
        var (id, _) = await ThroughThreeLevelsAsync();
        var owner = await _factory.SignInAsync("reporter@example.com");

        var review = await owner.GetPageAsync($"/admin/articles/{id}");
        var link = review.QuerySelector<IHtmlAnchorElement>("#approval-link")!;
        Assert.Equal($"/admin/articles/{id}/approval", link.GetAttribute("href"));
        Assert.Equal("稿签 / 打印", link.TextContent);
        await owner.GetPageAsync($"/admin/articles/{id}/approval");

        // The access policy: a published report is no secret to any staff member; a draft is its reporter's.
        var other = await _factory.SignInAsync("reporter2@example.com");
        await other.GetPageAsync($"/admin/articles/{id}/approval");
        var draft = await _factory.CreateDraftAsync("reporter@example.com", "未送审的稿件");
        await owner.GetPageAsync($"/admin/articles/{draft}/approval");
        await other.GetPageAsync($"/admin/articles/{draft}/approval", 404);
        await other.GetPageAsync("/admin/articles/999999/approval", 404);
    }

    [Fact]
    public async Task SignedOut_IsSentToSignIn()
    {
        var (id, _) = await ThroughThreeLevelsAsync();
        using var response = await _factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync($"/admin/articles/{id}/approval");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/signin", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }
}
