using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Tests.Import;

/// <summary>
/// An empty database with every migration applied, made once for the class: migrating costs a quarter of a second,
/// copying the result with SQLite's backup API a millisecond.
/// </summary>
public sealed class MigratedDatabase : IDisposable
{
    public MigratedDatabase()
    {
        Connection.Open();
        using var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(Connection).Options);
        db.Database.Migrate();
    }

    public SqliteConnection Connection { get; } = new("Data Source=:memory:");

    /// <summary>Fills <paramref name="empty"/> (open, in memory) with a copy; the copy is the test's own.</summary>
    public void CopyTo(SqliteConnection empty) => Connection.BackupDatabase(empty);

    public void Dispose() => Connection.Dispose();
}

/// <summary>The importer against a real SQLite database (in memory, kept open for the test).</summary>
public sealed class ContentImporterTests : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-import-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    public ContentImporterTests(MigratedDatabase migrated)
    {
        _connection.Open();
        migrated.CopyTo(_connection);
        CopyDirectory(Path.Combine(RepositoryRoot(), "content"), _folder);
    }

    public void Dispose()
    {
        _connection.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private NewsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connection).Options);

    private async Task<ImportReport> ImportAsync()
    {
        await using var db = NewContext();
        return await new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance).ImportAsync(_folder);
    }

    [Fact]
    public async Task SampleContent_ImportsEveryFileWithChannelsAndSettings()
    {
        var report = await ImportAsync();

        Assert.Empty(report.Rejected);
        Assert.Equal(Directory.GetFiles(Path.Combine(_folder, "articles"), "*.md").Length, report.Added.Count);
        Assert.True(report.SettingsCreated);
        await using var db = NewContext();
        var jinan = await db.Articles.Include(a => a.Tags).Include(a => a.Channel).SingleAsync(a => a.Slug == "jinan-xiangxi-delegation");
        Assert.Equal("xiezuo", jinan.Channel!.Slug);
        Assert.Equal("济南日报", jinan.ReprintedFrom);
        Assert.Equal("0531-83122110", jinan.ContactHotline);
        Assert.Equal(ArticleStatus.Published, jinan.Status);
        Assert.Equal(new DateOnly(2020, 6, 23), ChinaTime.Today(jinan.PublishedAt!.Value));
        Assert.Contains("<p>", jinan.BodyHtml);
        Assert.Contains(jinan.Tags, t => t.Name == "湘西");
        Assert.Equal(ArticleStatus.Draft, (await db.Articles.SingleAsync(a => a.Slug == "draft-next-steps-followup")).Status);
        var tuopin = await db.Channels.Include(c => c.Children).SingleAsync(c => c.Slug == "tuopin");
        Assert.Equal(["chanye", "jiuye"], tuopin.Children.OrderBy(c => c.SortOrder).Select(c => c.Slug));
        Assert.Equal("京ICP备00000000号-1", (await db.SiteSettings.SingleAsync()).IcpNumber);
    }

    [Fact]
    public async Task SecondRun_ChangesNothing()
    {
        await ImportAsync();

        var second = await ImportAsync();

        Assert.Empty(second.Added);
        Assert.Empty(second.Updated);
        Assert.Empty(second.Rejected);
        Assert.Equal(Directory.GetFiles(Path.Combine(_folder, "articles"), "*.md").Length, second.Unchanged.Count);
        await using var db = NewContext();
        Assert.Equal(second.Unchanged.Count, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task ChangedFile_OfAPublishedArticle_WaitsAsAPendingVersion_WhileReadersKeepTheReviewedText()
    {
        await ImportAsync();
        var path = Path.Combine(_folder, "articles", "aizhai-bridge.md");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)) + "\n\n补充的一段。\n");

        var report = await ImportAsync();
        var again = await ImportAsync();

        Assert.Equal([Path.Combine("articles", "aizhai-bridge.md")], report.Updated);
        Assert.Empty(again.Updated);
        await using var db = NewContext();
        var article = await db.Articles.SingleAsync(a => a.Slug == "aizhai-bridge");
        Assert.DoesNotContain("补充的一段。", article.BodyHtml);
        Assert.Equal((ArticleStatus.Published, ChangeState.Draft), (article.Status, article.PendingState));
        var pending = await db.ArticleRevisions.SingleAsync(r => r.ArticleId == article.Id && r.Number == article.PendingRevision);
        Assert.Contains("补充的一段。", pending.BodyMarkdown);
        Assert.Equal(("内容导入", null), (pending.UserName, pending.UserId));
    }

    [Fact]
    public async Task ChangedFile_OfADraft_IsUpdatedInPlace()
    {
        var path = Path.Combine(_folder, "articles", "aizhai-bridge.md");
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace("slug: aizhai-bridge", "slug: aizhai-bridge\nstatus: draft"));
        await ImportAsync();
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)) + "\n\n补充的一段。\n");

        var report = await ImportAsync();

        Assert.Equal([Path.Combine("articles", "aizhai-bridge.md")], report.Updated);
        await using var db = NewContext();
        var article = await db.Articles.SingleAsync(a => a.Slug == "aizhai-bridge");
        Assert.Contains("补充的一段。", article.BodyHtml);
        Assert.Equal((ArticleStatus.Draft, ChangeState.None), (article.Status, article.PendingState));
    }

    [Fact]
    public async Task PublishedFile_WithABlockedWord_IsRejectedWithTheWord_AndNotImported()
    {
        await ImportAsync();
        await using (var db = NewContext())
        {
            Assert.Null(SensitiveWord.Check("违禁词语", out var word, out var normalized));
            var now = _clock.GetUtcNow().UtcDateTime;
            db.SensitiveWords.Add(new SensitiveWord
            {
                Word = word, NormalizedWord = normalized, Action = SensitiveWordAction.Block, CreatedAt = now, UpdatedAt = now, CreatedBy = "测试",
            });
            await db.SaveChangesAsync();
        }
        var path = Path.Combine(_folder, "articles", "new-blocked.md");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(Path.Combine(_folder, "articles", "aizhai-bridge.md")))
            .Replace("slug: aizhai-bridge", "slug: new-blocked") + "\n\n含有违\u200D禁词语的一段。\n");

        var report = await ImportAsync();

        var rejected = Assert.Single(report.Rejected);
        Assert.Contains("违禁词语", rejected.Reason);
        Assert.Contains("U+200D", rejected.Reason);
        await using var check = NewContext();
        Assert.False(await check.Articles.AnyAsync(a => a.Slug == "new-blocked"));
    }

    [Fact]
    public async Task ChannelRenamedInTheNewsroom_IsNotBroughtBackAtItsOldSlug()
    {
        await ImportAsync();
        await using (var db = NewContext())
        {
            var chanye = await db.Channels.Include(c => c.OldSlugs).SingleAsync(c => c.Slug == "chanye");
            chanye.ChangeSlug("industry", _clock.GetUtcNow().UtcDateTime);
            chanye.Name = "产业发展";
            await db.SaveChangesAsync();
        }
        var path = Path.Combine(_folder, "articles", "shibadong-six-industries.md");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)) + "\n\n补充的一段。\n");

        var report = await ImportAsync();

        Assert.Empty(report.Rejected);
        Assert.Empty(report.ChannelsAdded);
        await using var check = NewContext();
        Assert.False(await check.Channels.AnyAsync(c => c.Slug == "chanye"));
        var industry = await check.Channels.SingleAsync(c => c.Slug == "industry");
        Assert.Equal("产业发展", industry.Name);
        Assert.Equal(industry.Id, (await check.Articles.SingleAsync(a => a.Slug == "shibadong-six-industries")).ChannelId);
    }

    [Fact]
    public async Task FrontMatterPlacements_SeedTheHeadlinesPinsAndSidebars()
    {
        await ImportAsync();

        await using var db = NewContext();
        var placed = await db.Placements.OrderBy(p => p.Block).ThenBy(p => p.Position)
            .Select(p => new { p.Block, p.Article!.Slug, p.Position, p.Until }).ToListAsync();
        Assert.Equal(
            [(CurationBlock.Headline, "jinan-xiangxi-delegation", 1), (CurationBlock.Headline, "shibadong-six-industries", 2),
             (CurationBlock.HotNews, "jinan-xiangxi-delegation", 1)],
            placed.Select(p => (p.Block, p.Slug, p.Position)));
        Assert.All(placed, p => Assert.Null(p.Until));
        var sidebars = await db.SidebarSettings.SingleAsync();
        var channels = await db.Channels.ToDictionaryAsync(c => c.Slug, c => c.Id);
        Assert.Equal((channels["yuqing"], channels["xiaozhen"]), (sidebars.OpinionChannelId, sidebars.TownChannelId));
        Assert.Equal((4, 6, 6, 6), (sidebars.HotVideoCount, sidebars.HotNewsCount, sidebars.OpinionCount, sidebars.TownCount));
    }

    [Fact]
    public async Task ChangedFile_DoesNotUndoTheEditorsCuration()
    {
        await ImportAsync();
        await using (var db = NewContext())
        {
            await db.Placements.Where(p => p.Article!.Slug == "jinan-xiangxi-delegation" && p.Block == CurationBlock.Headline).ExecuteDeleteAsync();
        }
        var path = Path.Combine(_folder, "articles", "jinan-xiangxi-delegation.md");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)) + "\n\n补充的一段。\n");

        var report = await ImportAsync();

        Assert.Single(report.Updated);
        await using var check = NewContext();
        Assert.Equal(["shibadong-six-industries"], await check.Placements.Where(p => p.Block == CurationBlock.Headline)
            .Select(p => p.Article!.Slug).ToListAsync());
    }

    [Theory]
    [InlineData("---\ntitle: 没有别名\nchannel: xiezuo\npublished: 2020-06-23T10:00:00+08:00\n---\n正文", "'slug' is required")]
    [InlineData("---\nslug: bad-channel\ntitle: 栏目不对\nchannel: nowhere\npublished: 2020-06-23T10:00:00+08:00\n---\n正文", "unknown channel 'nowhere'")]
    [InlineData("---\nslug: bad-date\ntitle: 日期不对\nchannel: xiezuo\npublished: 去年夏天\n---\n正文", "'published' is not a date")]
    [InlineData("---\nslug: Bad Slug\ntitle: 别名不对\nchannel: xiezuo\npublished: 2020-06-23\n---\n正文", "'slug' must be")]
    [InlineData("---\nslug: js-cover\ntitle: 封面不对\nchannel: xiezuo\npublished: 2020-06-23\ncover: javascript:alert(1)\ncover_alt: x\n---\n正文", "not an http(s)")]
    [InlineData("no front matter at all", "does not start")]
    [InlineData("---\nslug: [unclosed\n---\n", "YAML error at line 2")]
    [InlineData("---\nslug: year-one\ntitle: 公元元年\nchannel: xiezuo\npublished: 0001-01-01 00:00\n---\n正文", "'published' must be")]
    [InlineData("---\nslug: year-one-utc\ntitle: 公元元年\nchannel: xiezuo\npublished: 0001-01-01T00:00:00+08:00\n---\n正文", "'published'")]
    [InlineData("---\nslug: backslash\ntitle: 反斜杠\nchannel: xiezuo\npublished: 2020-06-23\ncover: /\\evil.example/a.jpg\ncover_alt: x\n---\n正文", "not an http(s)")]
    [InlineData("---\nslug: long-subtitle\ntitle: 副标题过长\nchannel: xiezuo\npublished: 2020-06-23\nsubtitle: {long}\n---\n正文", "'subtitle' is longer than 200")]
    [InlineData("---\nslug: many-tags\ntitle: 标签过多\nchannel: xiezuo\npublished: 2020-06-23\ntags: [{tags}]\n---\n正文", "at most 15 tags")]
    [InlineData("---\nslug: long-author\ntitle: 作者过长\nchannel: xiezuo\npublished: 2020-06-23\nauthor: {long}\n---\n正文", "'author' is longer than 100")]
    public async Task BadFile_IsRejectedWithPathAndReasonAndTheRestStillImport(string text, string reason)
    {
        text = text.Replace("{long}", new string('长', 30_000)).Replace("{tags}", string.Join(", ", Enumerable.Range(0, 5_000).Select(i => "t" + i)));
        await File.WriteAllTextAsync(Path.Combine(_folder, "articles", "zz-bad.md"), text);

        var report = await ImportAsync();

        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(Path.Combine("articles", "zz-bad.md"), rejection.Path);
        Assert.Contains(reason, rejection.Reason);
        Assert.Equal(Directory.GetFiles(Path.Combine(_folder, "articles"), "*.md").Length - 1, report.Added.Count);
    }

    [Fact]
    public async Task HostileFolder_OnlyRegularFilesInsideImport_EachRefusalReported()
    {
        var articles = Path.Combine(_folder, "articles");
        var outside = Path.Combine(Path.GetTempPath(), "pn-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            var secret = Path.Combine(outside, "secret.md");
            await File.WriteAllTextAsync(secret, "---\nslug: leaked\ntitle: 机密\nchannel: xiezuo\npublished: 2020-06-23\n---\nroot:$6$secret");
            File.CreateSymbolicLink(Path.Combine(articles, "zz-shadow.md"), secret);
            File.CreateSymbolicLink(Path.Combine(articles, "zz-zero.md"), "/dev/zero");
            Directory.CreateSymbolicLink(Path.Combine(articles, "zz-linked-dir"), outside);
            // A link that stays inside the folder is an ordinary file of it.
            File.CreateSymbolicLink(Path.Combine(articles, "zz-inside.md"), Path.Combine(articles, "aizhai-bridge.md"));
            MakeFifo(Path.Combine(articles, "zz-pipe.md"));
            await File.WriteAllBytesAsync(Path.Combine(articles, "zz-gbk.md"),
                [.. "---\nslug: gbk\ntitle: "u8, 0xC9, 0xEE, 0xDB, 0xDA, .. "\nchannel: xiezuo\npublished: 2020-06-23\n---\n"u8, 0xD5, 0xFD, 0xCE, 0xC4]);
            await File.WriteAllTextAsync(Path.Combine(articles, "zz-huge.md"),
                "---\nslug: huge\ntitle: 巨大\nchannel: xiezuo\npublished: 2020-06-23\n---\n" + new string('字', 3 * 1024 * 1024));

            var import = ImportAsync();
            var finished = await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.Same(import, finished); // a named pipe must not be opened (it would wait for a writer forever)
            var report = await import;

            var reasons = report.Rejected.ToDictionary(r => r.Path, r => r.Reason);
            Assert.Contains("outside", reasons[Path.Combine("articles", "zz-shadow.md")]);
            Assert.Contains("outside", reasons[Path.Combine("articles", "zz-zero.md")]);
            Assert.Contains("outside", reasons[Path.Combine("articles", "zz-linked-dir")]);
            Assert.Contains("not a regular file", reasons[Path.Combine("articles", "zz-pipe.md")]);
            Assert.Contains("UTF-8", reasons[Path.Combine("articles", "zz-gbk.md")]);
            Assert.Contains("larger than", reasons[Path.Combine("articles", "zz-huge.md")]);
            Assert.Contains("already used", reasons[Path.Combine("articles", "zz-inside.md")]);
            Assert.Equal(7, report.Rejected.Count);
            Assert.Equal(Directory.GetFiles(articles, "*.md").Length - 6, report.Added.Count);
            await using var db = NewContext();
            Assert.False(await db.Articles.AnyAsync(a => a.Slug == "leaked" || a.Slug == "gbk" || a.Slug == "huge"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private static void MakeFifo(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task DuplicateSlug_RejectsTheSecondFile()
    {
        File.Copy(Path.Combine(_folder, "articles", "aizhai-bridge.md"), Path.Combine(_folder, "articles", "zz-copy.md"));

        var report = await ImportAsync();

        Assert.Contains("already used", Assert.Single(report.Rejected).Reason);
    }

    [Fact]
    public async Task TimeWithoutOffset_IsChinaStandardTime()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "articles", "zz-cst.md"),
            "---\nslug: zz-cst\ntitle: 北京时间\nchannel: xiezuo\npublished: 2020-07-01 07:30\n---\n正文");

        await ImportAsync();

        await using var db = NewContext();
        var article = await db.Articles.SingleAsync(a => a.Slug == "zz-cst");
        Assert.Equal(new DateTime(2020, 6, 30, 23, 30, 0, DateTimeKind.Utc), article.PublishedAt);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

}
