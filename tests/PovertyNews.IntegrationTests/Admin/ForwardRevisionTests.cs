using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// Forward revisions: once an article's text has passed review, an edit (or a restore, or a 更正) waits as a pending
/// version with its own review, and readers — the article page, the front page, the feed and search — keep the
/// reviewed text until that review is complete. Everything goes through the editor's and the review page's forms.
/// </summary>
public sealed class ForwardRevisionTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string OldTitle = "湘西州十八洞村旅游接待情况";
    private const string NewTitle = "湘西州十八洞村旅游接待情况（修订）";
    private const string NewWord = "猕猴桃深加工车间";

    private async Task<(int Id, HttpClient Editor)> PublishedAsync()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var channelId = await _factory.EditorChannelIdAsync();
        var id = await _factory.WithDbAsync(async db =>
        {
            var article = new ArticleBuilder(channelId, OldTitle).Build();
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });
        return (id, await _factory.SignInAsync("editor@example.com"));
    }

    private async Task<(string Page, string Front, string Feed, string Search)> ReaderViewAsync(int id)
    {
        var reader = _factory.CreateReader();
        return (
            (await reader.GetPageAsync($"/articles/{id}")).QuerySelector("h1").Text(),
            (await reader.GetPageAsync("/")).Body!.TextContent,
            await (await reader.GetAsync("/feed.xml")).Content.ReadAsStringAsync(),
            (await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString(NewWord))).Body!.TextContent);
    }

    [Fact]
    public async Task EditorEditsAPublishedArticle_ReadersKeepTheReviewedText_UntilThePendingVersionPassesEveryLevel()
    {
        var (id, editor) = await PublishedAsync();
        var before = await ReaderViewAsync(id);

        using var saved = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = NewTitle, ["Input.Body"] = $"新增了{NewWord}的介绍。" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var during = await ReaderViewAsync(id);
        Assert.Equal(OldTitle, during.Page);
        Assert.DoesNotContain(NewTitle, during.Front);
        Assert.DoesNotContain(NewTitle, during.Feed);
        Assert.DoesNotContain(NewTitle, during.Search);
        Assert.Equal(before.Feed, during.Feed);

        // The editor form continues from the pending version; the review page shows what would change.
        var form = await editor.GetPageAsync($"/admin/articles/{id}/edit");
        Assert.Equal(NewTitle, ((AngleSharp.Html.Dom.IHtmlInputElement)form.QuerySelector("#Input_Title")!).Value);
        Assert.Contains("待审修改", form.QuerySelector("#pending-notice").Text());
        var review = await editor.GetPageAsync($"/admin/articles/{id}");
        Assert.Equal(OldTitle, review.QuerySelector("#preview-title").Text());
        Assert.Equal("修改待送审", review.QuerySelector("#pending-status").Text());
        var inserted = review.QuerySelectorAll("#pending-change .diff tr").Select(r => r.TextContent).ToList();
        Assert.Contains(inserted, r => r.Contains("标题：" + NewTitle));
        Assert.Contains(inserted, r => r.Contains("标题：" + OldTitle));

        await _factory.ApproveChangeAsync(editor, id);

        var after = await ReaderViewAsync(id);
        Assert.Equal(NewTitle, after.Page);
        Assert.Contains(NewTitle, after.Front);
        Assert.Contains(NewTitle, after.Feed);
        Assert.Contains(NewTitle, after.Search);
        // The 稿签 lists the change's own review, and the text readers see is the text its last level passed.
        var record = await editor.GetPageAsync($"/admin/articles/{id}/approval");
        Assert.Contains("修改送审", record.QuerySelector("#cycle-1-title").Text());
        var passes = record.QuerySelectorAll("#cycle-1 tr.approval-pass .approval-hash").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(3, passes.Count);
        Assert.Equal(passes[2], record.QuerySelector("#current-hash").Text());
        Assert.Null(record.QuerySelector("#approval-mismatch"));
        var row = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id)
            .Select(a => new { a.Status, a.PendingState, a.Title }).SingleAsync());
        Assert.Equal((ArticleStatus.Published, ChangeState.None, NewTitle), (row.Status, row.PendingState, row.Title));
    }

    [Fact]
    public async Task RestoringARevisionOfAPublishedArticle_BecomesAPendingVersion_NotTheLiveText()
    {
        var (id, editor) = await PublishedAsync();
        using (var first = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = NewTitle }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }
        await _factory.ApproveChangeAsync(editor, id);
        Assert.Equal(NewTitle, (await ReaderViewAsync(id)).Page);
        var oldest = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).MinAsync(r => (int?)r.Number));

        // The builder wrote no revision, so the first one is the pending version just applied: restore needs an older
        // text, which the next edit provides.
        using (var second = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = "第三个标题" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }
        await _factory.ApproveChangeAsync(editor, id);
        using var restored = await editor.SubmitFormAsync($"/admin/articles/{id}/revisions", $"form.revision-restore:has(input[name=number][value='{oldest}'])", []);

        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Equal("第三个标题", (await ReaderViewAsync(id)).Page);
        var pending = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id)
            .Select(a => new { a.PendingState, Title = db.ArticleRevisions.Where(r => r.ArticleId == id && r.Number == a.PendingRevision).Select(r => r.Title).Single() })
            .SingleAsync());
        Assert.Equal((ChangeState.Draft, NewTitle), (pending.PendingState, pending.Title));
        await _factory.ApproveChangeAsync(editor, id);
        Assert.Equal(NewTitle, (await ReaderViewAsync(id)).Page);
    }

    [Fact]
    public async Task TheChangesAuthor_IsNotOfferedItsReview_AndAForcedPassIsRefused()
    {
        var (id, editor) = await PublishedAsync();
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
        using (var saved = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = NewTitle }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        await editor.StepOkAsync(id, "submitchange");

        Assert.Null((await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector("#workflow-passchange"));
        using var forced = await editor.ForcedStepAsync(_factory, id, "PassChange");

        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PendingReviewLevel).SingleAsync()));
        Assert.Equal(OldTitle, (await ReaderViewAsync(id)).Page);
    }

    [Fact]
    public async Task ABlockedWordInThePendingVersion_IsRefusedAtSubmitAndAtItsLastLevel()
    {
        var (id, editor) = await PublishedAsync();
        await _factory.CreateUserAsync("admin2@example.com", NewsRoles.Administrator);
        var admin = await _factory.SignInAsync("admin2@example.com");
        using (var saved = await editor.SaveInEditorAsync(id, new() { ["Input.Body"] = "含有违\u200B禁品的一段。" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        await admin.AddWordAsync("违禁品", "Block");

        using var submit = await editor.StepAsync(id, "submitchange");

        Assert.Equal(HttpStatusCode.BadRequest, submit.StatusCode);
        var text = Parse(await submit.Content.ReadAsStringAsync()).QuerySelector(".form-errors").Text();
        Assert.Contains("违禁品", text);
        Assert.Contains("U+200B", text);
        Assert.Equal(ChangeState.Draft, await PendingStateAsync(id));
    }

    [Fact]
    public async Task DiscardingTheChange_KeepsTheReviewedText_AndTheVersionInTheHistory()
    {
        var (id, editor) = await PublishedAsync();
        using (var saved = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = NewTitle }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        await editor.StepOkAsync(id, "discardchange");

        Assert.Equal(ChangeState.None, await PendingStateAsync(id));
        Assert.Equal(OldTitle, (await ReaderViewAsync(id)).Page);
        Assert.True(await _factory.WithDbAsync(db => db.ArticleRevisions.AnyAsync(r => r.ArticleId == id && r.Title == NewTitle)));
        Assert.Contains("放弃修改", (await editor.GetPageAsync($"/admin/articles/{id}")).QuerySelector(".review-history").Text());
    }

    [Fact]
    public async Task EditingAnArticleInReview_StartsItsReviewAgainAtTheFirstLevel()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        var id = await _factory.CreateDraftAsync("reporter@example.com", "修改后重审的稿件");
        await (await _factory.SignInAsync("reporter@example.com")).StepOkAsync(id, "submit");
        var editor = await _factory.SignInAsync("editor@example.com");
        await editor.StepOkAsync(id, "pass", "初审同意");
        var second = await _factory.SignInAsync("editor2@example.com");

        using var saved = await second.SaveInEditorAsync(id, new() { ["Input.Body"] = "复审时改过的正文。" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((ArticleStatus.Submitted, 0), await _factory.StatusAsync(id));
        Assert.Contains("审核从初审重新开始", (await second.GetPageAsync($"/admin/articles/{id}/edit")).QuerySelector(".flash").Text());
        // The first reviewer passed other text; the first level is theirs to pass again.
        await editor.StepOkAsync(id, "pass", "重新初审");
        Assert.Equal((ArticleStatus.InReview, 1), await _factory.StatusAsync(id));
    }

    private Task<ChangeState> PendingStateAsync(int id) =>
        _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PendingState).SingleAsync());

    private static AngleSharp.Html.Dom.IHtmlDocument Parse(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
}
