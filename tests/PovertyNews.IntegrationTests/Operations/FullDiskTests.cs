using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>A really full disk (a small tmpfs filled to the last byte) under the editor and the media library.</summary>
// Provider-specific: SQLite's write-ahead log on a small file system.
[Trait("Provider", "Sqlite")]
public sealed class FullDiskTests(SmallDiskApp app) : IClassFixture<SmallDiskApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = app.Factory;

    public async Task InitializeAsync()
    {
        app.Free();
        await app.ResetAsync();
    }

    public Task DisposeAsync()
    {
        app.Free();
        return Task.CompletedTask;
    }

    [RootFact]
    public async Task EditorSave_OnAFullDisk_Answers503WithTheTextKept_AndSavesOnceThereIsSpace()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await reporter.CreateInEditorAsync(await _factory.EditorChannelIdAsync(), "草稿标题", "旧正文");
        var body = string.Concat(Enumerable.Range(1, 200).Select(i => $"第{i}段：磁盘满了也不能丢的正文。\n\n"));
        var fields = Newsroom.FieldsOf(await reporter.GetPageAsync($"/admin/articles/{id}/edit"), "#article-form",
            new() { ["Input.Title"] = "满盘时的标题", ["Input.Body"] = body });
        await EmptyWriteAheadLogAsync(); // otherwise the save could go into the log's already allocated pages
        await app.FillAsync();

        using var response = await reporter.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"answered {(int)response.StatusCode}: {html[..Math.Min(2000, html.Length)]}");
        Assert.NotNull(response.Headers.RetryAfter);
        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Contains(StorageFailure.Message, page.QuerySelector("#article-form .form-errors").Text());
        Assert.Equal("满盘时的标题", page.QuerySelector<IHtmlInputElement>("#Input_Title")!.Value);
        Assert.Equal(body.ReplaceLineEndings("\n"), page.QuerySelector<IHtmlTextAreaElement>("#Input_Body")!.Value.ReplaceLineEndings("\n"));

        app.Free();
        Assert.Equal("旧正文", await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.BodyMarkdown).SingleAsync()));
        using var again = await reporter.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(body.ReplaceLineEndings("\n").Trim(), (await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.BodyMarkdown).SingleAsync())).ReplaceLineEndings("\n").Trim());
    }

    [RootFact]
    public async Task Upload_OnAFullDisk_Answers503WithTheMessage()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var token = (await reporter.GetPageAsync("/admin/media/upload")).QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        await app.FillAsync();

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("满盘时的图片"), "AltText" },
        };
        var file = new ByteArrayContent(TestImages.Jpeg(800, 600));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "File", "full.jpg");
        using var response = await reporter.PostAsync("/admin/media/upload", form);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"answered {(int)response.StatusCode}: {html[..Math.Min(2000, html.Length)]}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains(StorageFailure.Message, (await new HtmlParser().ParseDocumentAsync(html)).QuerySelector("#upload-form .form-errors, .form-errors").Text());
        app.Free();
        // Nothing beyond the sample content's videos and posters (the import's, with no uploader).
        Assert.Equal(0, await _factory.WithDbAsync(db => db.MediaItems.CountAsync(m => m.UploadedById != null)));
    }

    private async Task EmptyWriteAheadLogAsync()
    {
        var live = await _factory.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(live) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(0L, reader.GetInt64(0)); // 0: the checkpoint was not blocked, the log is now empty
    }
}
