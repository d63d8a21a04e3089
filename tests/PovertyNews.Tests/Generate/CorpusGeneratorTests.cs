using PovertyNews.Tests.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Generate;

/// <summary>The whole command against a SQLite file in write-ahead-log mode, as the site runs it.</summary>
public sealed class CorpusGeneratorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-generate-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly string _connectionString;

    public CorpusGeneratorTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
        using var db = NewContext();
        db.Database.Migrate();
        SqliteDatabase.PrepareAsync(db, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private NewsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connectionString).Options);

    private async Task<(GenerateResult Result, string Output)> GenerateAsync(int count, int seed, ISearchIndex? index = null, int batch = 500,
        TextWriter? progress = null, CancellationToken ct = default, StringWriter? output = null)
    {
        await using var db = NewContext();
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance);
        output ??= new StringWriter();
        var result = await new CorpusGenerator(db, importer, _clock, index)
            .RunAsync(new GenerateOptions(count, seed, batch, TestContent.Folder), output, progress ?? TextWriter.Null, redraw: false, ct);
        return (result, output.ToString());
    }

    /// <summary>Every index of the database as "table name SQL"; those of constraints have no SQL.</summary>
    private static async Task<List<string>> IndexesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "tbl_name", "name", COALESCE("sql", '') FROM "sqlite_master" WHERE "type" = 'index' ORDER BY "tbl_name", "name" """;
        var indexes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
        }
        return indexes;
    }

    /// <summary>The indexes of a database made by the migrations alone.</summary>
    private async Task<List<string>> MigratedIndexesAsync()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "migrated.db"), Pooling = false }.ToString();
        await using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(connectionString).Options))
        {
            await db.Database.MigrateAsync();
        }
        return await IndexesAsync(connectionString);
    }

    private async Task<string> JournalModeAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A progress writer that cancels the run at the first progress line, which comes after rows went in.</summary>
    private sealed class CancelOnProgress(CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            cancel.Cancel();
        }
    }

    [Fact]
    public async Task EmptyDatabase_ImportsSamplesThenGenerates()
    {
        var (result, output) = await GenerateAsync(2000, seed: 1);

        Assert.Equal(2000, result.Inserted);
        Assert.Equal(1, result.FirstNumber);
        Assert.Contains($"imported 7 channels and {TestContent.ArticleCount} articles", output);
        Assert.Contains("inserted 2,000 articles in", output);
        Assert.Contains("search index not rebuilt; run reindex", output);
        Assert.Contains("database size:", output);
        Assert.True(result.DatabaseBytes > 1_000_000);

        await using var db = NewContext();
        var generated = await db.Articles.Where(a => a.Slug.StartsWith("gen-1-")).ToListAsync();
        Assert.Equal(2000, generated.Count);
        Assert.Equal(2000 + TestContent.ArticleCount, await db.Articles.CountAsync());
        Assert.Equal(2000, generated.Select(a => a.Slug).Distinct().Count());
        var now = _clock.GetUtcNow().UtcDateTime;
        Assert.All(generated, a => Assert.InRange(a.CreatedAt, now.AddYears(-10), now));
        Assert.True(generated.Min(a => a.CreatedAt) < now.AddYears(-9) && generated.Max(a => a.CreatedAt) > now.AddYears(-1));
        Assert.Equal(DateTimeKind.Utc, generated[0].CreatedAt.Kind);
        Assert.True(generated.Count(a => a.Status == ArticleStatus.Published) > 1700);
        Assert.Contains(generated, a => a.Status == ArticleStatus.Draft);
        Assert.Contains(generated, a => a.Kind == ArticleKind.Video);
        var channels = await db.Channels.ToDictionaryAsync(c => c.Id, c => c.Slug);
        Assert.True(generated.Select(a => a.ChannelId).Distinct().Count() >= 5);
        Assert.All(generated.Where(a => a.Kind == ArticleKind.Video), a => Assert.Equal("shipin", channels[a.ChannelId]));

        // Texts handed over as UTF-8 bytes are stored as text, as EF Core would store them.
        var notText = await db.Database.SqlQueryRaw<int>(
            """SELECT COUNT(*) AS "Value" FROM "Articles" WHERE typeof("Title") <> 'text' OR typeof("Summary") <> 'text' OR typeof("BodyMarkdown") <> 'text' OR typeof("BodyHtml") <> 'text' OR typeof("PublishedAt") NOT IN ('text', 'null') OR typeof("Version") <> 'text'""")
            .SingleAsync();
        Assert.Equal(0, notText);
        Assert.Equal(generated.Count(a => a.Title.Contains("十八洞村")),
            await db.Articles.CountAsync(a => a.Slug.StartsWith("gen-") && EF.Functions.Like(a.Title, "%十八洞村%")));

        // Readers see them like any other article.
        Assert.True(await db.Articles.Where(Article.VisibleAt(now)).CountAsync(a => a.Slug.StartsWith("gen-")) > 1700);
        var tagged = await db.Articles.Include(a => a.Tags).Where(a => a.Slug.StartsWith("gen-") && a.Tags.Count > 0).CountAsync();
        Assert.InRange(tagged, 1400, 1800);
    }

    [Fact]
    public async Task GeneratedArticle_SavesThroughEfCoreWithItsConcurrencyToken()
    {
        await GenerateAsync(100, seed: 2);

        await using (var db = NewContext())
        {
            var article = await db.Articles.SingleAsync(a => a.Slug == "gen-2-50");
            article.Title = "改过的标题";
            await db.SaveChangesAsync();
        }
        await using (var db = NewContext())
        {
            Assert.Equal("改过的标题", (await db.Articles.SingleAsync(a => a.Slug == "gen-2-50")).Title);
        }
    }

    [Fact]
    public async Task SameSeedTwice_ContinuesTheNumbering()
    {
        await GenerateAsync(300, seed: 5);

        var (second, _) = await GenerateAsync(200, seed: 5);

        Assert.Equal(301, second.FirstNumber);
        await using var db = NewContext();
        var slugs = await db.Articles.Where(a => a.Slug.StartsWith("gen-5-")).Select(a => a.Slug).ToListAsync();
        Assert.Equal(500, slugs.Count);
        Assert.Contains("gen-5-500", slugs);
    }

    [Fact]
    public async Task SameSeedInTwoDatabases_SameArticles()
    {
        await GenerateAsync(50, seed: 8);
        await using var db = NewContext();
        var first = await db.Articles.Where(a => a.Slug.StartsWith("gen-8-")).OrderBy(a => a.Id)
            .Select(a => new { a.Slug, a.Title, a.BodyHtml, a.Status, a.PublishedAt, a.ViewCount }).ToListAsync();
        // Start again from an empty database with the same clock.
        await db.Database.EnsureDeletedAsync();
        await db.Database.MigrateAsync();

        await GenerateAsync(50, seed: 8);

        var second = await db.Articles.Where(a => a.Slug.StartsWith("gen-8-")).OrderBy(a => a.Id)
            .Select(a => new { a.Slug, a.Title, a.BodyHtml, a.Status, a.PublishedAt, a.ViewCount }).ToListAsync();
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task LargeRun_DropsIndexesAndRecreatesThemAsTheMigrationsDefine()
    {
        var (_, output) = await GenerateAsync(2000, seed: 11);

        Assert.Contains("indexes of Articles and ArticleTags dropped and re-created", output);
        var indexes = await IndexesAsync(_connectionString);
        Assert.Contains(indexes, i => i.StartsWith("Articles IX_Articles_Slug CREATE UNIQUE INDEX", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.StartsWith("ArticleTags IX_ArticleTags_TagsId CREATE INDEX", StringComparison.Ordinal));
        Assert.Equal(await MigratedIndexesAsync(), indexes);
        Assert.Equal("wal", await JournalModeAsync());
        await using (var connection = new SqliteConnection(_connectionString))
        {
            // The planner finds the rebuilt unique index again.
            await connection.OpenAsync();
            await using var explain = connection.CreateCommand();
            explain.CommandText = """EXPLAIN QUERY PLAN SELECT "Id" FROM "Articles" WHERE "Slug" = 'gen-11-7'""";
            await using var plan = await explain.ExecuteReaderAsync();
            Assert.True(await plan.ReadAsync());
            Assert.Contains("IX_Articles_Slug", plan.GetString(3), StringComparison.Ordinal);
        }
        await using var db = NewContext();
        Assert.Equal(2000, await db.Articles.CountAsync(a => a.Slug.StartsWith("gen-11-")));
    }

    [Fact]
    public async Task LargeRun_Cancelled_RollsBackWithEveryIndexInPlace()
    {
        var before = await IndexesAsync(_connectionString);
        using var cancel = new CancellationTokenSource();
        var output = new StringWriter();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            GenerateAsync(5000, seed: 12, progress: new CancelOnProgress(cancel), ct: cancel.Token, output: output));

        // Rows had gone in, with the indexes dropped inside the transaction, when it was cancelled.
        Assert.Contains("indexes of Articles and ArticleTags dropped and re-created", output.ToString());
        Assert.Equal(before, await IndexesAsync(_connectionString));
        Assert.Equal(await MigratedIndexesAsync(), await IndexesAsync(_connectionString));
        Assert.Equal("wal", await JournalModeAsync());
        await using var db = NewContext();
        Assert.Equal(0, await db.Articles.CountAsync(a => a.Slug.StartsWith("gen-12-")));
        Assert.Equal(0, await db.Database.SqlQuery<int>($"""SELECT COUNT(*) AS "Value" FROM "ArticleTags" WHERE "ArticlesId" > {TestContent.ArticleCount}""").SingleAsync());
        var (again, _) = await GenerateAsync(100, seed: 12);
        Assert.Equal(1, again.FirstNumber);
    }

    [Fact]
    public async Task SmallRunIntoBiggerTable_KeepsIndexesAndCommitsBatches()
    {
        await GenerateAsync(600, seed: 13);
        using var cancel = new CancellationTokenSource();
        var output = new StringWriter();

        // 300 rows into a table of 614: the indexes stay, and batches of 100 commit as they fill.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            GenerateAsync(300, seed: 14, batch: 100, progress: new CancelOnProgress(cancel), ct: cancel.Token, output: output));

        Assert.Contains("indexes maintained row by row", output.ToString());
        Assert.DoesNotContain("dropped", output.ToString());
        Assert.Equal(await MigratedIndexesAsync(), await IndexesAsync(_connectionString));
        Assert.Equal("wal", await JournalModeAsync());
        await using var db = NewContext();
        // The first progress line comes after a chunk of 250 rows: two batches of 100 were committed by then.
        Assert.InRange(await db.Articles.CountAsync(a => a.Slug.StartsWith("gen-14-")), 200, 299);
    }

    [Fact]
    public async Task DatabaseOpenElsewhere_KeepsTheLogAndTheIndexes()
    {
        await using var other = new SqliteConnection(_connectionString);
        await other.OpenAsync();
        await using (var read = other.CreateCommand())
        {
            read.CommandText = """SELECT COUNT(*) FROM "Channels";""";
            await read.ExecuteScalarAsync();
        }

        var (result, output) = await GenerateAsync(1000, seed: 15);

        Assert.Equal(1000, result.Inserted);
        Assert.DoesNotContain("to itself", output);
        Assert.Equal("wal", await JournalModeAsync());
        Assert.Equal(await MigratedIndexesAsync(), await IndexesAsync(_connectionString));
        await using var count = other.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Articles" WHERE "Slug" LIKE 'gen-15-%';""";
        Assert.Equal(1000L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task SearchIndex_RebuiltAfterTheInserts()
    {
        var index = new RecordingIndex();

        var (result, output) = await GenerateAsync(100, seed: 3, index);

        Assert.Equal(100 + TestContent.ArticleCount, index.Rebuilt);
        Assert.Equal(100 + TestContent.ArticleCount, result.Indexed);
        Assert.Contains($"indexed {100 + TestContent.ArticleCount} articles in", output);
        Assert.DoesNotContain("run reindex", output);
    }

    private sealed class RecordingIndex : ISearchIndex
    {
        public int Rebuilt { get; private set; }

        public async Task<int> RebuildAsync(NewsDbContext db, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
        {
            Rebuilt = await db.Articles.CountAsync(ct);
            progress?.Report((Rebuilt, Rebuilt));
            return Rebuilt;
        }

        public Task UpdateAsync(NewsDbContext db, IReadOnlyCollection<int> articleIds, CancellationToken ct) => throw new NotSupportedException();

        public Task EnsureBuiltAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();
        public Task<int> AnalyzerVersionAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();

        public Task<SearchIndexCount> CountAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();

        public Task<SearchIndexRepair> RepairAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();

        public Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct) => throw new NotSupportedException();
    }
}
