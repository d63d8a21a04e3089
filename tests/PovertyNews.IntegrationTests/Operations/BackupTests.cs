using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Media;
using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// Backups of a running site (real SQLite, the newsroom's real forms): made while articles are written and
/// published, restored into an empty folder, and a new host started on that folder; damaged archives and occupied
/// folders refused.
/// </summary>
// Provider-specific: the SQLite archive layout (the PostgreSQL backup has tests of its own).
[Trait("Provider", "Sqlite")]
public sealed class BackupTests(SingleReviewLevelApp shared) : IClassFixture<SingleReviewLevelApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "povertynews-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        Directory.CreateDirectory(_work);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    private BackupService Backups => _factory.Services.GetRequiredService<BackupService>();

    private string MediaFolder => _factory.Services.GetRequiredService<MediaStore>().Folder;

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(_factory.Services, args[0], args, TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>What one acknowledged step left: the article's version and status as the app answered.</summary>
    private sealed record Ack(int ArticleId, Guid Version, ArticleStatus Status);

    private Task<Ack> AckAsync(int id) => _factory.WithDbAsync(db =>
        db.Articles.Where(a => a.Id == id).Select(a => new Ack(a.Id, a.Version, a.Status)).SingleAsync());

    // Titles carry a word no other article has, so a search for it finds exactly the article it names.
    private static string Word(int n)
    {
        const string stems = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
        return $"{stems[n % stems.Length]}{stems[n / stems.Length % stems.Length]}{stems[n / 576 % stems.Length]}编号";
    }

    /// <summary>Writes, saves again, submits, passes and publishes one article through the forms, noting each answer.</summary>
    private async Task PublishOneAsync(HttpClient reporter, HttpClient editor, int channelId, int n, List<Ack> acks)
    {
        var id = await reporter.CreateInEditorAsync(channelId, $"协作简讯{Word(n)}", $"第{n}篇简讯的正文。");
        Record(await AckAsync(id));
        using (var saved = await reporter.SaveInEditorAsync(id, new() { ["Input.Body"] = $"第{n}篇简讯的正文，改过一次。" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        Record(await AckAsync(id));
        await reporter.StepOkAsync(id, "submit");
        Record(await AckAsync(id));
        await editor.StepOkAsync(id, "pass", "同意");
        Record(await AckAsync(id));
        await editor.StepOkAsync(id, "publish");
        Record(await AckAsync(id));

        void Record(Ack ack)
        {
            lock (acks)
            {
                acks.Add(ack);
            }
        }
    }

    private async Task<int> UploadAsync(HttpClient client, byte[] jpeg, string name)
    {
        var page = await client.GetPageAsync("/admin/media/upload");
        var token = page.QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new StringContent("十八洞村的猕猴桃园"), "AltText");
        var file = new ByteArrayContent(jpeg);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "File", name);
        using var response = await client.PostAsync("/admin/media/upload", form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"upload answered {(int)response.StatusCode}");
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Signs in through the form by hand and returns the session cookie, to send to another host.</summary>
    private static async Task<string> SessionCookieAsync(HttpClient client, string email)
    {
        using var get = await client.GetAsync("/admin/signin");
        var cookies = get.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await get.Content.ReadAsStringAsync());
        var fields = Newsroom.FieldsOf(page, "form", new() { ["Input.Email"] = email, ["Input.Password"] = Newsroom.Password });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/signin") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        using var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("pn.auth=", StringComparison.Ordinal));
    }

    private static async Task<List<string>> SearchAsync(HttpClient client, string query) =>
        (await client.GetPageAsync("/search?q=" + Uri.EscapeDataString(query)))
            .QuerySelectorAll(".search-result__title a").Select(a => a.GetAttribute("href")!).ToList();

    [Fact]
    public async Task BackupWhileArticlesArePublished_RestoredIntoAnEmptyFolder_StartsWithEverythingAcknowledgedBeforeIt()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief); // the last review level is the editor-in-chief's
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var editor = await _factory.SignInAsync("chief@example.com");
        var channelId = await _factory.EditorChannelIdAsync();
        var session = await SessionCookieAsync(_factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }),
            "chief@example.com");
        await UploadAsync(reporter, TestImages.Jpeg(900, 600), "猕猴桃.jpg");
        await UploadAsync(reporter, TestImages.Png(400, 300), "合作社.png");

        // A loop publishes through the forms before, during and after the backup.
        var acks = new List<Ack>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                await PublishOneAsync(reporter, editor, channelId, n, acks);
            }
        });
        while (true)
        {
            lock (acks)
            {
                if (acks.Count >= 15 || loop.IsCompleted)
                {
                    break;
                }
            }
            await Task.Delay(20);
        }
        Assert.False(loop.IsFaulted, loop.Exception?.ToString());

        List<Ack> before;
        lock (acks)
        {
            before = acks.ToList();
        }
        var file = Path.Combine(_work, "site.zip");
        int lateArticle = 0, lateImage = 0;
        var result = await Backups.CreateAsync(file, afterSnapshot: async () =>
        {
            // Saved once the database copy is taken and before the files are archived: in the source, not in the backup.
            var late = new List<Ack>();
            await PublishOneAsync(reporter, editor, channelId, 10_000, late);
            lateArticle = late[0].ArticleId;
            lateImage = await UploadAsync(reporter, TestImages.Jpeg(640, 480), "晚到的图片.jpg");
        }, CancellationToken.None);
        await stop.CancelAsync();
        await loop;

        var (verifyCode, verifyOutput, verifyError) = await RunAsync("backup", "--verify", file);
        Assert.True(verifyCode == 0, verifyError);
        Assert.Contains("sound", verifyOutput);

        var folder = Path.Combine(_work, "restored");
        var (code, output, error) = await RunAsync("restore", file, "--data", folder);
        Assert.True(code == 0, error);
        Assert.Contains("restored", output);

        using var restored = new NewsFactory { ConfigureHost = b => b.UseSetting("PovertyNews:DataPath", folder) };
        var reader = restored.CreateReader();
        var copy = await restored.WithDbAsync(async db => new
        {
            Articles = await db.Articles.AsNoTracking().Select(a => new { a.Id, a.Version, a.Status, a.Title, a.BodyMarkdown }).ToListAsync(),
            Users = await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new { u.Email, u.PasswordHash, u.SecurityStamp }).ToListAsync(),
            Revisions = await db.ArticleRevisions.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.ArticleId, r.BodyMarkdown }).ToListAsync(),
            Media = await db.MediaItems.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Id, m.StoredName, m.Sha256 }).ToListAsync(),
        });
        var source = await _factory.WithDbAsync(async db => new
        {
            Articles = await db.Articles.AsNoTracking().Select(a => new { a.Id, a.Version, a.Status, a.Title, a.BodyMarkdown }).ToListAsync(),
            Users = await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new { u.Email, u.PasswordHash, u.SecurityStamp }).ToListAsync(),
            Revisions = await db.ArticleRevisions.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.ArticleId, r.BodyMarkdown }).ToListAsync(),
            Media = await db.MediaItems.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Id, m.StoredName, m.Sha256 }).ToListAsync(),
        });

        // The manifest counts what the restored database holds.
        Assert.Equal(result.Manifest.Counts.Articles, copy.Articles.Count);
        Assert.Equal(result.Manifest.Counts.Users, copy.Users.Count);
        Assert.Equal(result.Manifest.Counts.Revisions, copy.Revisions.Count);
        Assert.Equal(result.Manifest.Counts.Media, copy.Media.Count);

        // Everything acknowledged before the backup started is there, at least as far as it was then: its version is
        // the one acknowledged last before the backup or one acknowledged after it (the loop acknowledges every write).
        var restoredById = copy.Articles.ToDictionary(a => a.Id);
        List<Ack> all;
        lock (acks)
        {
            all = acks.ToList();
        }
        foreach (var ack in before.GroupBy(a => a.ArticleId).Select(g => g.Last()))
        {
            Assert.True(restoredById.TryGetValue(ack.ArticleId, out var article), $"article {ack.ArticleId}, acknowledged before the backup, is missing");
            var sequence = all.Where(a => a.ArticleId == ack.ArticleId).Select(a => a.Version).ToList();
            Assert.Contains(article.Version, sequence.Skip(sequence.IndexOf(ack.Version)));
        }
        // Nothing saved after the copy was taken, and the copy is one moment of the source: each article in a state
        // the source acknowledged, with the revisions the source had then.
        Assert.DoesNotContain(lateArticle, restoredById.Keys);
        Assert.DoesNotContain(copy.Media, m => m.Id == lateImage);
        var sourceIds = source.Articles.Select(a => a.Id).ToHashSet();
        foreach (var article in copy.Articles)
        {
            Assert.Contains(article.Id, sourceIds);
            if (all.Any(a => a.ArticleId == article.Id))
            {
                Assert.Contains(article.Version, all.Where(a => a.ArticleId == article.Id).Select(a => a.Version));
            }
            var restoredRevisions = copy.Revisions.Where(r => r.ArticleId == article.Id).ToList();
            Assert.Equal(restoredRevisions, source.Revisions.Where(r => r.ArticleId == article.Id).Take(restoredRevisions.Count));
        }
        Assert.True(copy.Articles.Count >= 14 + before.Select(a => a.ArticleId).Distinct().Count(), "the 14 sample articles and the loop's are restored");
        Assert.Equal(source.Users, copy.Users);
        Assert.Equal(source.Media.Where(m => m.Id != lateImage), copy.Media);

        // Every media row's files are there, byte for byte the source's.
        var restoredMedia = Path.Combine(folder, "media");
        foreach (var item in copy.Media)
        {
            var files = Directory.EnumerateFiles(restoredMedia, Path.GetFileNameWithoutExtension(item.StoredName).Split('-')[0] + "*").ToList();
            Assert.NotEmpty(files);
            foreach (var path in files)
            {
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(MediaFolder, Path.GetFileName(path))), await File.ReadAllBytesAsync(path));
            }
        }

        // Search: each restored loop article is found exactly when it is published; the sample content's hits are the source's.
        var published = copy.Articles.Where(a => a.Title.StartsWith("协作简讯", StringComparison.Ordinal)).ToList();
        Assert.Contains(published, a => a.Status == ArticleStatus.Published);
        foreach (var article in published)
        {
            var hits = await SearchAsync(reader, article.Title["协作简讯".Length..]);
            Assert.Equal(article.Status == ArticleStatus.Published, hits.Any(h => h.StartsWith($"/articles/{article.Id}/", StringComparison.Ordinal)));
        }
        foreach (var query in new[] { "十八洞村", "济南", "东西部扶贫协作" })
        {
            Assert.Equal(await SearchAsync(_factory.CreateReader(), query), await SearchAsync(reader, query));
        }

        // The data-protection keys came along: a session of the source is a session of the restored site.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Add("Cookie", session);
        using var admin = await reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Verify_ByteFlippedInAMediaFile_ReportsItDamaged_AndRestoreWritesNothing()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var id = await UploadAsync(reporter, TestImages.Jpeg(800, 500), "茶园.jpg");
        var stored = await _factory.WithDbAsync(db => db.MediaItems.Where(m => m.Id == id).Select(m => m.StoredName).SingleAsync());
        var file = Path.Combine(_work, "site.zip");
        Assert.Equal(0, (await RunAsync("backup", file)).Code);

        // Media entries are stored uncompressed: the image's own bytes are in the archive, and one of them is changed.
        var archive = await File.ReadAllBytesAsync(file);
        var image = await File.ReadAllBytesAsync(Path.Combine(MediaFolder, stored));
        var at = archive.AsSpan().IndexOf(image.AsSpan(0, Math.Min(image.Length, 4096)));
        Assert.True(at > 0, "the image's bytes are not in the archive");
        archive[at + image.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(file, archive);

        var (code, _, error) = await RunAsync("backup", "--verify", file);
        Assert.Equal(1, code);
        Assert.Contains("DAMAGED", error);
        Assert.Contains("media/" + stored, error);

        var folder = Path.Combine(_work, "restored");
        var restore = await RunAsync("restore", file, "--data", folder);
        Assert.Equal(1, restore.Code);
        Assert.Contains("REFUSED", restore.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Verify_TruncatedArchive_IsDamaged_AndRestoreWritesNothing()
    {
        var file = Path.Combine(_work, "site.zip");
        Assert.Equal(0, (await RunAsync("backup", file)).Code);
        var whole = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, whole[..(whole.Length * 2 / 3)]);

        var (code, _, error) = await RunAsync("backup", "--verify", file);
        Assert.Equal(1, code);
        Assert.Contains("truncated", error);

        var folder = Path.Combine(_work, "restored");
        Assert.Equal(1, (await RunAsync("restore", file, "--data", folder)).Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Restore_IntoAFolderWithADatabase_IsRefusedAndLeavesItAlone()
    {
        var file = Path.Combine(_work, "site.zip");
        Assert.Equal(0, (await RunAsync("backup", file)).Code);
        var folder = Path.Combine(_work, "occupied");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "news.db"), "a site's database");

        var (code, _, error) = await RunAsync("restore", file, "--data", folder);

        Assert.Equal(1, code);
        Assert.Contains("news.db exists", error);
        Assert.Equal("a site's database", await File.ReadAllTextAsync(Path.Combine(folder, "news.db")));
        Assert.Equal(["news.db"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Backup_ToAFileThatExists_IsRefusedAndLeavesItAlone()
    {
        var file = Path.Combine(_work, "site.zip");
        await File.WriteAllTextAsync(file, "older");

        var (code, _, error) = await RunAsync("backup", file);

        Assert.Equal(1, code);
        Assert.Contains("exists already", error);
        Assert.Equal("older", await File.ReadAllTextAsync(file));
        Assert.Equal(["site.zip"], Directory.EnumerateFileSystemEntries(_work).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "--verify")]
    [InlineData("backup", "a.zip", "b.zip")]
    [InlineData("backup", "--force", "a.zip")]
    [InlineData("restore")]
    [InlineData("restore", "a.zip", "--data")]
    [InlineData("restore", "a.zip", "--verify")]
    public async Task BadArguments_PrintUsage_ExitCode2(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("usage: " + args[0], error);
    }
}
