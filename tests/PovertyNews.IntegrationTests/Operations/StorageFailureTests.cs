using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Operations.Failures;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// Writes the storage cannot take (a database locked by another writer past the busy timeout, a database that may not
/// grow): 503 with Retry-After and a Chinese message that nothing was saved; the editor keeps the posted text.
/// </summary>
// Provider-specific: SQLite's busy and full errors, provoked through its file locks.
[Trait("Provider", "Sqlite")]
public sealed class StorageFailureTests(StorageFailureApp app) : IClassFixture<StorageFailureApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = app.Factory;

    /// <summary>About 300 KB of text with its HTML, revision and index entries: far more than any free page in the file.</summary>
    private static readonly string LongBody = string.Concat(Enumerable.Range(1, 4000).Select(i => $"第{i}段：东西部扶贫协作让茶园增收。\n\n"));

    public Task InitializeAsync()
    {
        app.Limit.Full = false;
        return app.ResetAsync();
    }

    public Task DisposeAsync()
    {
        app.Limit.Full = false;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EditorSave_WhileTheDatabaseIsLocked_Answers503WithTheTextKept()
    {
        var (reporter, id) = await DraftAsync();
        var fields = await EditorFieldsAsync(reporter, id, "锁住时改的标题", "锁住时写的正文，不能丢。");

        using (await app.HoldWriteLockAsync())
        {
            using var response = await reporter.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));

            await AssertFormKeptAsync(response, "锁住时改的标题", "锁住时写的正文，不能丢。");
        }
        Assert.Equal("旧正文", await BodyAsync(id));
        Assert.Equal(5, app.LastLoggedSqliteError()); // SQLITE_BUSY

        // Once the other writer is done, the same form saves.
        using var again = await reporter.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("锁住时写的正文，不能丢。", await BodyAsync(id));
    }

    [Fact]
    public async Task NewArticle_WhileTheDatabaseIsLocked_Answers503WithTheTextKept()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var channelId = await _factory.EditorChannelIdAsync();
        var page = await reporter.GetPageAsync("/admin/articles/new");
        var fields = Newsroom.FieldsOf(page, "#article-form", new()
        {
            ["Input.Title"] = "新稿标题",
            ["Input.ChannelId"] = channelId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Body"] = "新稿正文，一个字也不能丢。",
        });
        var before = await _factory.WithDbAsync(db => db.Articles.CountAsync());

        using (await app.HoldWriteLockAsync())
        {
            using var response = await reporter.PostAsync("/admin/articles/new", new FormUrlEncodedContent(fields));

            await AssertFormKeptAsync(response, "新稿标题", "新稿正文，一个字也不能丢。");
        }
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Articles.CountAsync()));
    }

    [Fact]
    public async Task Autosave_WhileTheDatabaseIsLocked_Answers503JsonWithTheMessage()
    {
        var (reporter, id) = await DraftAsync();
        var fields = await EditorFieldsAsync(reporter, id, "草稿", "自动保存的正文");

        using (await app.HoldWriteLockAsync())
        {
            using var response = await reporter.PostAsync($"/admin/articles/{id}/edit?handler=Autosave", new FormUrlEncodedContent(fields));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("未自动保存：" + StorageFailure.Message, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal("旧正文", await BodyAsync(id));
    }

    [Fact]
    public async Task EditorSave_WhenTheDatabaseIsFull_Answers503WithTheTextKept()
    {
        var (reporter, id) = await DraftAsync();
        var fields = await EditorFieldsAsync(reporter, id, "满盘时的标题", LongBody);

        app.Limit.Full = true;
        using var response = await reporter.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));
        app.Limit.Full = false;

        await AssertFormKeptAsync(response, "满盘时的标题", LongBody);
        Assert.Equal("旧正文", await BodyAsync(id));
        Assert.Equal(13, app.LastLoggedSqliteError()); // SQLITE_FULL
    }

    [Fact]
    public async Task OtherForm_WhileTheDatabaseIsLocked_Answers503PageWithTheMessage()
    {
        await _factory.CreateUserAsync("admin2@example.com", NewsRoles.Administrator);
        var admin = await _factory.SignInAsync("admin2@example.com");
        var page = await admin.GetPageAsync("/admin/settings");
        var fields = Newsroom.FieldsOf(page, "form.settings-form", new() { ["Input.Tagline"] = "锁住时的口号" });

        using (await app.HoldWriteLockAsync())
        {
            using var response = await admin.PostAsync("/admin/settings", new FormUrlEncodedContent(fields));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
            var html = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
            Assert.Equal("503", html.QuerySelector(".notice__code").Text());
            Assert.Equal(StorageFailure.Message, html.QuerySelector(".notice p:not(.notice__code)").Text());
        }
        Assert.NotEqual("锁住时的口号", await _factory.WithDbAsync(db => db.SiteSettings.Select(s => s.Tagline).SingleAsync()));
    }

    [Fact]
    public async Task SignIn_WhileTheDatabaseIsLocked_Answers503AndSignsNobodyIn()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var fields = Newsroom.FieldsOf(await client.GetPageAsync("/admin/signin"), "form",
            new() { ["Input.Email"] = "reporter@example.com", ["Input.Password"] = Newsroom.Password });

        using (await app.HoldWriteLockAsync())
        {
            using var response = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(fields));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains(StorageFailure.Message, await response.Content.ReadAsStringAsync());
        }
        using var admin = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode); // to the sign-in page: the failed sign-in set no cookie
        Assert.Contains("/admin/signin", admin.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ViewCounts_WhoseFlushFails_AreWrittenByTheNextFlush()
    {
        var id = await _factory.ArticleIdAsync(await _factory.WithDbAsync(db => db.Articles.Select(a => a.Slug).FirstAsync()));
        var before = await ViewCountAsync(id);
        var counter = _factory.Services.GetRequiredService<ViewCounter>();
        var flush = _factory.Services.GetRequiredService<ViewFlushService>();
        for (var i = 0; i < 3; i++)
        {
            counter.Record(id, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        }

        using (await app.HoldWriteLockAsync())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => flush.FlushAsync());
        }
        Assert.Equal(before, await ViewCountAsync(id));

        Assert.Equal(3, await flush.FlushAsync());
        Assert.Equal(before + 3, await ViewCountAsync(id));
    }

    private async Task<(HttpClient Reporter, int Id)> DraftAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿标题", "旧正文");
        return (reporter, id);
    }

    private static async Task<List<KeyValuePair<string, string>>> EditorFieldsAsync(HttpClient client, int id, string title, string body) =>
        Newsroom.FieldsOf(await client.GetPageAsync($"/admin/articles/{id}/edit"), "#article-form",
            new() { ["Input.Title"] = title, ["Input.Body"] = body });

    private static async Task AssertFormKeptAsync(HttpResponseMessage response, string title, string body)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Contains(StorageFailure.Message, page.QuerySelector("#article-form .form-errors").Text());
        Assert.Equal(title, page.QuerySelector<IHtmlInputElement>("#Input_Title")!.Value);
        Assert.Equal(body.ReplaceLineEndings("\n"), page.QuerySelector<IHtmlTextAreaElement>("#Input_Body")!.Value.ReplaceLineEndings("\n"));
    }

    private Task<string> BodyAsync(int id) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.BodyMarkdown).SingleAsync());

    private Task<long> ViewCountAsync(int id) => _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ViewCount).SingleAsync());
}
