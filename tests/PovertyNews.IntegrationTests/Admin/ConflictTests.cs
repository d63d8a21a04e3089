using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>Two editors save the same article: the second sees both versions and chooses; nothing is overwritten silently.</summary>
public sealed class ConflictTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Scene(int Id, HttpClient First, HttpClient Second, IHtmlDocument ConflictPage, string Url);

    /// <summary>Both open the form; the first saves "theirs"; the second then saves "mine" from the stale form.</summary>
    private async Task<Scene> ConflictAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor1@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "原来的标题", "第一行\n第二行\n第三行");
        var first = await _factory.SignInAsync("editor1@example.com");
        var second = await _factory.SignInAsync("editor2@example.com");
        var url = $"/admin/articles/{id}/edit";
        var firstForm = await first.GetPageAsync(url);
        var secondForm = await second.GetPageAsync(url);

        using var theirs = await first.PostLoadedFormAsync(firstForm, url, "#article-form",
            new() { ["Input.Title"] = "对方的标题", ["Input.Body"] = "第一行\n对方改的第二行\n第三行" });
        Assert.Equal(HttpStatusCode.Redirect, theirs.StatusCode);
        using var mine = await second.PostLoadedFormAsync(secondForm, url, "#article-form",
            new() { ["Input.Title"] = "我的标题", ["Input.Body"] = "第一行\n我改的第二行\n第三行\n我加的第四行" });

        Assert.Equal(HttpStatusCode.Conflict, mine.StatusCode);
        var page = await new HtmlParser().ParseDocumentAsync(await mine.Content.ReadAsStringAsync());
        return new Scene(id, first, second, page, url);
    }

    private Task<List<ArticleRevision>> RevisionsAsync(int id) =>
        _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderBy(r => r.Number).ToListAsync());

    [Fact]
    public async Task SecondSave_ShowsBothVersionsSideBySideAndSavesNothing()
    {
        var scene = await ConflictAsync();

        var conflict = scene.ConflictPage.QuerySelector(".conflict")!;
        Assert.Contains("保存冲突", conflict.QuerySelector("h2").Text());
        Assert.Contains("editor1", conflict.QuerySelector(".conflict__lead").Text());
        var table = conflict.QuerySelector("table.diff--side")!;
        Assert.Contains("对方版本", table.QuerySelector("thead").Text());
        Assert.Contains("我的版本", table.QuerySelector("thead").Text());
        var changed = table.QuerySelectorAll("td.diff-text:not(.diff-line--unchanged)").Select(td => td.TextContent).ToList();
        Assert.Contains(changed, t => t.Contains("对方改的第二行"));
        Assert.Contains(changed, t => t.Contains("我改的第二行"));
        Assert.Contains(changed, t => t.Contains("我加的第四行"));
        Assert.Contains(changed, t => t.Contains("标题：对方的标题"));
        Assert.Contains(changed, t => t.Contains("标题：我的标题"));
        Assert.Equal("保留我的版本", scene.ConflictPage.QuerySelector("#keep-mine-form button[type=submit]").Text());
        Assert.Equal(scene.Url, scene.ConflictPage.QuerySelector("#take-theirs")!.GetAttribute("href"));
        Assert.Equal("采用对方版本", scene.ConflictPage.QuerySelector("#take-theirs").Text());
        // Mine is still on the page, in full.
        Assert.Equal("第一行\n我改的第二行\n第三行\n我加的第四行",
            scene.ConflictPage.QuerySelector<IHtmlTextAreaElement>("#keep-mine-form textarea[name='Input.Body']")!.Value);
        var article = await _factory.WithDbAsync(db => db.Articles.SingleAsync(a => a.Id == scene.Id));
        Assert.Equal(("对方的标题", "第一行\n对方改的第二行\n第三行"), (article.Title, article.BodyMarkdown));
        Assert.Equal([1, 2], (await RevisionsAsync(scene.Id)).Select(r => r.Number));
    }

    [Fact]
    public async Task KeepMine_SavesMineAsANewRevisionOnTopOfTheirs()
    {
        var scene = await ConflictAsync();

        using var response = await scene.Second.PostLoadedFormAsync(scene.ConflictPage, scene.Url, "#keep-mine-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var revisions = await RevisionsAsync(scene.Id);
        Assert.Equal([1, 2, 3], revisions.Select(r => r.Number));
        Assert.Equal(("对方的标题", "editor1", (string?)null), (revisions[1].Title, revisions[1].UserName, revisions[1].Note));
        Assert.Equal(("我的标题", "editor2", ArticleEditor.KeepMineNote), (revisions[2].Title, revisions[2].UserName, revisions[2].Note));
        var article = await _factory.WithDbAsync(db => db.Articles.SingleAsync(a => a.Id == scene.Id));
        Assert.Equal(("我的标题", "第一行\n我改的第二行\n第三行\n我加的第四行"), (article.Title, article.BodyMarkdown));
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{scene.Id}" && e.Action == AuditActions.ArticleSaved).CountAsync());
        Assert.Equal(2, audit);
    }

    [Fact]
    public async Task KeepMine_AfterYetAnotherSave_ConflictsAgain()
    {
        var scene = await ConflictAsync();
        using var third = await scene.First.SaveInEditorAsync(scene.Id, new() { ["Input.Title"] = "对方又改的标题" });
        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);

        using var response = await scene.Second.PostLoadedFormAsync(scene.ConflictPage, scene.Url, "#keep-mine-form");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("对方又改的标题", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == scene.Id).Select(a => a.Title).SingleAsync()));
    }

    [Fact]
    public async Task TakeTheirs_LeavesTheirVersion()
    {
        var scene = await ConflictAsync();

        var page = await scene.Second.GetPageAsync(scene.ConflictPage.QuerySelector("#take-theirs")!.GetAttribute("href")!);

        Assert.Equal("对方的标题", page.QuerySelector<IHtmlInputElement>("#Input_Title")!.Value);
        Assert.Equal("第一行\n对方改的第二行\n第三行", page.QuerySelector<IHtmlTextAreaElement>("#Input_Body")!.Value);
        Assert.Equal([1, 2], (await RevisionsAsync(scene.Id)).Select(r => r.Number));
        // Saving from the fresh form now works without a conflict.
        using var save = await scene.Second.SaveInEditorAsync(scene.Id, new() { ["Input.Subtitle"] = "补一个副标题" });
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
    }

    [Fact]
    public async Task Autosave_FromAStaleForm_Answers409AndSavesNothing()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿", "正文");
        var stale = await reporter.GetPageAsync($"/admin/articles/{id}/edit");
        var editor = await _factory.SignInAsync("editor@example.com");
        using var saved = await editor.SaveInEditorAsync(id, new() { ["Input.Title"] = "编辑改的" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var response = await reporter.PostAsync($"/admin/articles/{id}/edit?handler=Autosave",
            new FormUrlEncodedContent(EditorKit.FieldsOf(stale, "#article-form", new() { ["Input.Title"] = "记者自动保存的" })));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("自动保存已暂停", await response.Content.ReadAsStringAsync());
        Assert.Equal("编辑改的", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync()));
    }
}
