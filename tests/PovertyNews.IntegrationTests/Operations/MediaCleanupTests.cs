using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Media;
using PovertyNews.Web.Operations.MediaCleanup;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The media cleanup job and its command against a library with a real upload (original and renditions, its row) and
/// what killed uploads leave: image files without a row, temporary files; each old (two hours) or young (just now).
/// </summary>
public sealed class MediaCleanupTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private MediaStore Store => _factory.Services.GetRequiredService<MediaStore>();

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Library(IReadOnlyList<string> Uploaded, string OldOrphan, string OldOrphanRendition, string YoungOrphan,
        string OldTemporary, string YoungTemporary, string Foreign, string MissingName);

    [Fact]
    public async Task DryRun_ListsOldOrphansAndTemporaryFilesWithSizes_AndDeletesNothing()
    {
        var library = await LibraryAsync();

        var (code, output) = await RunCommandAsync("--dry-run");

        Assert.Equal(0, code);
        Assert.Contains($"would delete         1,234 bytes  orphan     {library.OldOrphan}", output);
        Assert.Contains($"would delete           321 bytes  orphan     {library.OldOrphanRendition}", output);
        Assert.Contains($"would delete           777 bytes  temporary  {library.OldTemporary}", output);
        Assert.Contains($"missing file (row kept)", output);
        Assert.Contains(library.MissingName, output);
        Assert.Contains("3 files, 2,332 bytes would be deleted; 1 media rows without their file", output);
        foreach (var kept in library.Uploaded.Concat([library.YoungOrphan, library.YoungTemporary, library.Foreign]))
        {
            Assert.DoesNotContain(kept, output);
        }
        Assert.All(AllFiles(library), path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public async Task Command_DeletesOldOrphansAndTemporaryFiles_AndNothingAnUploadOrARowOwns()
    {
        var library = await LibraryAsync();

        var (code, output) = await RunCommandAsync();

        Assert.Equal(0, code);
        Assert.Contains("3 files, 2,332 bytes deleted; 1 media rows without their file", output);
        AssertCleaned(library);
    }

    [Fact]
    public async Task Job_OnItsInterval_CleansTheSameFiles()
    {
        var library = await LibraryAsync();
        var job = _factory.Services.GetRequiredService<MediaCleanupService>();
        var run = job.NextRun;

        _factory.Clock.Advance(new MediaCleanupOptions().Interval);
        var report = await run.WaitAsync(TimeSpan.FromMinutes(2)); // a guard against a hang, not a measurement

        Assert.Null(report.Refused);
        Assert.Equal(3, report.Files.Count);
        Assert.Equal(library.MissingName, Assert.Single(report.Missing).StoredName);
        AssertCleaned(library);
    }

    [Fact]
    public async Task Command_WithAnUnknownArgument_PrintsTheUsage()
    {
        var (code, _) = await RunCommandAsync("--now");

        Assert.Equal(2, code);
    }

    private void AssertCleaned(Library library)
    {
        Assert.False(File.Exists(library.OldOrphan));
        Assert.False(File.Exists(library.OldOrphanRendition));
        Assert.False(File.Exists(library.OldTemporary));
        foreach (var kept in library.Uploaded.Concat([library.YoungOrphan, library.YoungTemporary, library.Foreign]))
        {
            Assert.True(File.Exists(kept), kept);
        }
    }

    private static IEnumerable<string> AllFiles(Library l) =>
        l.Uploaded.Concat([l.OldOrphan, l.OldOrphanRendition, l.YoungOrphan, l.OldTemporary, l.YoungTemporary, l.Foreign]);

    private async Task<(int Code, string Output)> RunCommandAsync(params string[] arguments)
    {
        var output = new StringWriter();
        var code = await Commands.RunAsync(_factory.Services, "media-cleanup", ["media-cleanup", .. arguments], TextReader.Null, output, new StringWriter());
        return (code, output.ToString());
    }

    private async Task<Library> LibraryAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        // The sample content's videos and posters are in the library too (recorded as the import's, with no uploader).
        await UploadAsync(reporter, TestImages.Jpeg(1600, 900));
        var stored = await _factory.WithDbAsync(db => db.MediaItems.Where(m => m.UploadedById != null).Select(m => m.StoredName).SingleAsync());
        var key = MediaName.TryParse(stored, out var name) ? name.Value.Key : throw new InvalidOperationException(stored);
        var uploaded = Store.FilesOf(key);
        Assert.True(uploaded.Count > 1, "the upload made renditions");

        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var old = now.AddHours(-2);
        var young = now.AddMinutes(10);
        foreach (var path in uploaded)
        {
            File.SetLastWriteTimeUtc(path, old); // an upload's files are its row's however old they are
        }
        var orphanKey = new string('a', 32) + "-800x600";
        var library = new Library(uploaded,
            OldOrphan: Write(Path.Combine(Store.Folder, orphanKey + ".jpg"), 1234, old),
            OldOrphanRendition: Write(Path.Combine(Store.Folder, orphanKey + "-320.webp"), 321, old),
            YoungOrphan: Write(Path.Combine(Store.Folder, new string('b', 32) + "-800x600.png"), 100, young),
            OldTemporary: Write(Path.Combine(Store.TemporaryFolder, "upload-" + Guid.NewGuid().ToString("N")), 777, old),
            YoungTemporary: Write(Path.Combine(Store.TemporaryFolder, "upload-" + Guid.NewGuid().ToString("N")), 55, young),
            Foreign: Write(Path.Combine(Store.Folder, "README.txt"), 10, old),
            MissingName: new string('c', 32) + "-640x480.jpg");
        await _factory.WithDbAsync(async db =>
        {
            var item = await db.MediaItems.AsNoTracking().SingleAsync(m => m.UploadedById != null);
            item.Id = 0;
            item.StoredName = library.MissingName;
            item.Sha256 = new string('c', 64);
            db.MediaItems.Add(item);
            await db.SaveChangesAsync();
        });
        return library;
    }

    private static string Write(string path, int bytes, DateTime lastWriteUtc)
    {
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    private static async Task UploadAsync(HttpClient client, byte[] image)
    {
        var token = (await client.GetPageAsync("/admin/media/upload")).QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("茶园"), "AltText" },
        };
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "File", "tea.jpg");
        using var response = await client.PostAsync("/admin/media/upload", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
