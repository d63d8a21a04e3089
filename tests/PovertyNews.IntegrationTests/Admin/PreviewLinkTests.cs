using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>整页预览 of a saved version in the reader's layout, and 预览链接 that show it to anyone holding them.</summary>
public sealed class PreviewLinkTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Reporter, int Id)> DraftWithTwoVersionsAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "第一版标题", "第一版正文",
            new() { ["Input.Source"] = "湘西州融媒体中心", ["Input.Tags"] = "湘西" });
        using var second = await reporter.SaveInEditorAsync(id, new() { ["Input.Title"] = "第二版标题", ["Input.Body"] = "第二版正文，**加粗**" });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        return (reporter, id);
    }

    private static async Task<string> ShareAsync(HttpClient client, int id, string days = "3")
    {
        using var response = await client.SubmitFormAsync($"/admin/articles/{id}/reader-preview", "form.preview-links__form",
            new() { ["Input.Days"] = days });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        var url = page.QuerySelectorAll(".preview-links__url").Select(i => i.GetAttribute("value")!).First();
        return new Uri(url).PathAndQuery;
    }

    [Fact]
    public async Task FullPagePreview_ShowsTheNewestSavedVersion_AsReadersWillSeeIt()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();

        using var response = await reporter.GetAsync($"/admin/articles/{id}/reader-preview");
        var page = await response.ReadPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("预览，未发布", page.QuerySelector(".preview-banner")!.Text().Trim());
        Assert.Contains("第 2 版", page.QuerySelector(".preview-banner")!.Text());
        Assert.Equal("第二版标题", page.QuerySelector("h1.article__title")!.Text());
        Assert.Equal("加粗", page.QuerySelector(".article__body strong")!.Text());
        Assert.Equal("来源：湘西州融媒体中心", page.QuerySelector(".article__source")!.Text());
        Assert.Equal("时间：发布时填写", page.QuerySelector(".article__time")!.Text());
        Assert.NotNull(page.QuerySelector("aside.sidebars"));
        Assert.NotNull(page.QuerySelector(".article__copyright"));
        // 延伸阅读 as the published page would list it: the channel's and the tag's published reports.
        Assert.NotEmpty(page.QuerySelectorAll(".related__list li"));
        Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content")![..7]);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());

        var first = await reporter.GetPageAsync($"/admin/articles/{id}/reader-preview/1");
        Assert.Equal("第一版标题", first.QuerySelector("h1.article__title")!.Text());
    }

    [Fact]
    public async Task ShareLink_ShowsItsVersionToAnyone_UntilRevoked_AndIsAudited()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();
        var link = await ShareAsync(reporter, id);
        using var third = await reporter.SaveInEditorAsync(id, new() { ["Input.Title"] = "第三版标题" });

        var reader = _factory.CreateReader();
        using var response = await reader.GetAsync(link);
        var page = await response.ReadPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("第二版标题", page.QuerySelector("h1.article__title")!.Text());
        Assert.StartsWith("预览，未发布", page.QuerySelector(".preview-banner")!.Text().Trim());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("noindex, nofollow", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Null(page.QuerySelector(".preview-links"));

        using var revoke = await reporter.SubmitFormAsync($"/admin/articles/{id}/reader-preview", ".preview-links__list form", []);
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        using var after = await reader.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
        Assert.Contains("已被撤销", (await after.ReadPageAsync()).QuerySelector(".notice")!.Text());

        var actions = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Target == $"article:{id}" && e.Action.StartsWith("article.preview-link"))
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.PreviewLinkCreated, AuditActions.PreviewLinkRevoked], actions);
    }

    [Fact]
    public async Task ImportedArticle_WithNoSavedVersion_IsPreviewed_AndItsLinkKeepsTodaysText()
    {
        var id = await _factory.ArticleIdAsync("aizhai-bridge");
        Assert.Equal(0, await _factory.WithDbAsync(db => db.ArticleRevisions.CountAsync(r => r.ArticleId == id)));
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
        var chief = await _factory.SignInAsync("chief@example.com");
        var title = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync());

        var page = await chief.GetPageAsync($"/admin/articles/{id}/reader-preview");
        var link = await ShareAsync(chief, id);
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE \"Articles\" SET \"Title\" = {"改过的标题"} WHERE \"Id\" = {id}"));

        Assert.Equal(title, page.QuerySelector("h1.article__title")!.Text());
        Assert.Contains("尚无保存记录", page.QuerySelector(".preview-banner")!.Text());
        var shown = await _factory.CreateReader().GetPageAsync(link);
        Assert.Equal(title, shown.QuerySelector("h1.article__title")!.Text());
        var revision = await _factory.WithDbAsync(db => db.ArticleRevisions.SingleAsync(r => r.ArticleId == id));
        Assert.Equal((1, PreviewLinks.FirstVersionNote), (revision.Number, revision.Note));
    }

    [Fact]
    public async Task ShareLink_StopsWhenItExpires()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();
        var link = await ShareAsync(reporter, id, days: "1");
        var reader = _factory.CreateReader();
        await reader.GetPageAsync(link);

        _factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var page = await reader.GetPageAsync(link, 410);
        Assert.Contains("过期", page.QuerySelector(".notice")!.Text());
    }

    [Fact]
    public async Task ShareLink_OfAWithdrawnArticle_StopsWorking()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();
        var link = await ShareAsync(reporter, id);

        await _factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE \"Articles\" SET \"Status\" = {(int)ArticleStatus.Withdrawn} WHERE \"Id\" = {id}"));

        var page = await _factory.CreateReader().GetPageAsync(link, 410);
        Assert.Contains("已撤回", page.QuerySelector(".notice")!.Text());
    }

    [Fact]
    public async Task OtherReporter_CannotPreviewOrShare_AndForgedTokensAre404()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();
        var page = await reporter.GetPageAsync($"/admin/articles/{id}/reader-preview");
        var token = page.QuerySelector("form.preview-links__form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        await _factory.CreateUserAsync("reporter2@example.com", NewsRoles.Reporter);
        var other = await _factory.SignInAsync("reporter2@example.com");

        await other.GetPageAsync($"/admin/articles/{id}/reader-preview", 404);
        using var share = await other.PostAsync($"/admin/articles/{id}/reader-preview/2?handler=Share", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["Input.Days"] = "3", ["__RequestVerificationToken"] = await other.EditorTokenAsync() }));
        Assert.Equal(HttpStatusCode.NotFound, share.StatusCode);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.PreviewLinks.CountAsync()));
        Assert.NotEmpty(token);

        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/preview/not-a-token", 404);
        await reader.GetPageAsync("/preview/" + new string('A', 43), 404);
        await reader.GetPageAsync("/preview/" + new string('A', 500), 404);
    }

    [Fact]
    public async Task ShareLink_WithALifetimeNotOffered_IsRefusedWithAMessage()
    {
        var (reporter, id) = await DraftWithTwoVersionsAsync();

        using var response = await reporter.SubmitFormAsync($"/admin/articles/{id}/reader-preview", "form.preview-links__form",
            new() { ["Input.Days"] = "365" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(PreviewLinks.LifetimeMessage, (await response.ReadPageAsync()).QuerySelector(".form-errors")!.Text());
        Assert.Equal(0, await _factory.WithDbAsync(db => db.PreviewLinks.CountAsync()));
    }
}
