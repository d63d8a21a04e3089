using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>历史版本: the list, a line diff of two revisions, and restoring one as a new revision.</summary>
public sealed class RevisionTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Client, int Id)> ThreeRevisionsAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "第一版标题", "第一段\n第二段", new() { ["Input.Tags"] = "湘西" });
        using var second = await reporter.SaveInEditorAsync(id, new() { ["Input.Body"] = "第一段\n新加的一段\n第二段" });
        using var third = await reporter.SaveInEditorAsync(id, new() { ["Input.Title"] = "第三版标题", ["Input.Tags"] = "湘西、花垣县" });
        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        return (reporter, id);
    }

    [Fact]
    public async Task List_ShowsWhoWhenAndNote()
    {
        var (client, id) = await ThreeRevisionsAsync();

        var page = await client.GetPageAsync($"/admin/articles/{id}/revisions");

        var rows = page.QuerySelectorAll(".revision-table tbody tr");
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("第 3 版（当前）", rows[0].Children[0].Text());
        Assert.Equal("reporter", rows[0].Children[1].Text());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$", rows[0].Children[2].Text());
        Assert.Equal(ArticleEditor.CreatedNote, rows[2].Children[3].Text());
        Assert.Equal("articles", page.QuerySelector("a[href='/admin/articles'][aria-current=page]") is null ? null : "articles");
    }

    [Fact]
    public async Task Compare_ShowsTheAddedLine()
    {
        var (client, id) = await ThreeRevisionsAsync();

        var page = await client.GetPageAsync($"/admin/articles/{id}/revisions?from=1&to=2");

        var inserted = page.QuerySelectorAll(".diff .diff-line--inserted .diff-text").Select(td => td.TextContent).ToList();
        Assert.Contains(inserted, t => t.EndsWith("新加的一段", StringComparison.Ordinal));
        // Only the automatic summary, which follows the body, changed besides.
        Assert.All(page.QuerySelectorAll(".diff .diff-line--deleted .diff-text"), td => Assert.EndsWith("摘要：第一段 第二段", td.TextContent));
        var titles = await client.GetPageAsync($"/admin/articles/{id}/revisions?from=2&to=3");
        Assert.Contains(titles.QuerySelectorAll(".diff-line--deleted .diff-text"), td => td.TextContent.EndsWith("标题：第一版标题", StringComparison.Ordinal));
        Assert.Contains(titles.QuerySelectorAll(".diff-line--inserted .diff-text"), td => td.TextContent.EndsWith("标签：湘西、花垣县", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_WithUnknownOrOddNumbers_IsNoError()
    {
        var (client, id) = await ThreeRevisionsAsync();

        var missing = await client.GetPageAsync($"/admin/articles/{id}/revisions?from=1&to=99");
        await client.GetPageAsync($"/admin/articles/{id}/revisions?from=abc&to=-1");

        Assert.Contains("找不到第 99 版", missing.QuerySelector(".form-errors").Text());
    }

    [Fact]
    public async Task Restore_OfRevisionOne_CreatesANewRevisionWithItsContent()
    {
        var (client, id) = await ThreeRevisionsAsync();
        var page = await client.GetPageAsync($"/admin/articles/{id}/revisions");
        var form = page.QuerySelectorAll("form.revision-restore").Single(f => f.QuerySelector("input[name=number]")!.GetAttribute("value") == "1");

        using var response = await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(
            EditorKit.FieldsOf(page, "form.revision-restore:has(input[name=number][value='1'])")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var revisions = await _factory.WithDbAsync(db => db.ArticleRevisions.Where(r => r.ArticleId == id).OrderBy(r => r.Number).ToListAsync());
        Assert.Equal([1, 2, 3, 4], revisions.Select(r => r.Number));
        var (first, restored) = (revisions[0], revisions[3]);
        Assert.Equal(ArticleEditor.RestoreNote(1), restored.Note);
        Assert.Equal((first.Title, first.BodyMarkdown, first.Summary, first.Tags, first.ChannelId),
            (restored.Title, restored.BodyMarkdown, restored.Summary, restored.Tags, restored.ChannelId));
        var article = await _factory.WithDbAsync(db => db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == id));
        Assert.Equal(("第一版标题", "第一段\n第二段", "<p>第一段\n第二段</p>"), (article.Title, article.BodyMarkdown, article.BodyHtml.Trim()));
        Assert.Equal(["湘西"], article.Tags.Select(t => t.Name));
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}").OrderByDescending(e => e.Id).Select(e => e.Action).FirstAsync());
        Assert.Equal(AuditActions.ArticleRestored, audit);
    }

    [Fact]
    public async Task OtherReporter_CannotSeeOrRestoreRevisions()
    {
        var (client, id) = await ThreeRevisionsAsync();
        var page = await client.GetPageAsync($"/admin/articles/{id}/revisions");
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        var other = await _factory.SignInAsync("reporter2@example.com");
        var token = await other.EditorTokenAsync();

        await other.GetPageAsync($"/admin/articles/{id}/revisions", 404);
        using var restore = await other.PostAsync($"/admin/articles/{id}/revisions?handler=Restore", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["number"] = "1", ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.NotFound, restore.StatusCode);
        Assert.Equal(3, await _factory.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
        Assert.NotNull(page.QuerySelector("form.revision-restore"));
    }
}
