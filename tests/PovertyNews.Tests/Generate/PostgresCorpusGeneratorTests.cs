using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Testing;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Tests.Generate;

/// <summary>The generate command on PostgreSQL (binary COPY), compared row for row with what it writes into SQLite.</summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresCorpusGeneratorTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-pggenerate-" + Guid.NewGuid().ToString("N"));
    private readonly string _database = "gen_" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private string _postgres = "";
    private string _sqlite = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
        await using (var db = Sqlite())
        {
            await db.Database.MigrateAsync();
            await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        }
        _postgres = await PostgresCluster.Instance.CreateDatabaseAsync(_database);
        await using (var db = Postgres())
        {
            await db.Database.MigrateAsync();
        }
    }

    public Task DisposeAsync()
    {
        PostgresCluster.Instance.DropDatabase(_database);
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private NewsDbContext Sqlite() => new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_sqlite).Options);

    private NewsDbContext Postgres()
    {
        var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(options, _postgres);
        return new PostgresNewsDbContext(options.Options);
    }

    private async Task<(GenerateResult Result, string Output)> GenerateAsync(Func<NewsDbContext> context, int count, int seed, int batch)
    {
        await using var db = context();
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance);
        var output = new StringWriter();
        var result = await new CorpusGenerator(db, importer, _clock, searchIndex: null)
            .RunAsync(new GenerateOptions(count, seed, batch, TestContent.Folder), output, TextWriter.Null, redraw: false);
        return (result, output.ToString());
    }

    private static async Task<List<string>> RowsAsync(NewsDbContext db) =>
        (await db.Articles.AsNoTracking().Where(a => a.Slug.StartsWith("gen-")).OrderBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Summary, a.BodyMarkdown, a.BodyHtml, a.ChannelId, a.Source, a.ReprintedFrom, a.Author,
                a.ResponsibleEditor, a.CoverImageUrl, a.CoverImageAlt, a.Kind, a.VideoUrl, a.VideoPosterUrl, a.Status,
                a.PublishedAt, a.CreatedAt, a.UpdatedAt, a.ViewCount, a.ReviewLevel, a.WithdrawalReason, a.WithdrawnAt, a.Version,
                a.PendingState, a.PendingReviewLevel,
                Tags = a.Tags.OrderBy(t => t.Id).Select(t => t.Id).ToList(),
            })
            .ToListAsync())
        .Select(a => $"{a} tags {string.Join(",", a.Tags)}")
        .ToList();

    [Fact]
    public async Task SameSeed_SameRowsAsSqlite()
    {
        // Batches of 700 end in the middle of a chunk and leave a short last batch.
        var (sqlite, _) = await GenerateAsync(Sqlite, 2500, seed: 4, batch: 700);
        var (postgres, output) = await GenerateAsync(Postgres, 2500, seed: 4, batch: 700);

        Assert.Equal(sqlite.Inserted, postgres.Inserted);
        Assert.Contains($"imported 7 channels and {TestContent.ArticleCount} articles", output);
        Assert.Contains("inserted 2,500 articles in", output);
        Assert.Contains("database size:", output);
        Assert.True(postgres.DatabaseBytes > 1_000_000);
        await using var s = Sqlite();
        await using var p = Postgres();
        var expected = await RowsAsync(s);
        var actual = await RowsAsync(p);
        Assert.Equal(2500, actual.Count);
        Assert.Equal(expected, actual);
        Assert.True(await p.Articles.Where(a => a.Slug.StartsWith("gen-")).CountAsync(a => a.Tags.Count > 0) > 1500);
    }

    [Fact]
    public async Task AfterGenerate_SiteInsertsGetTheNextIds()
    {
        await GenerateAsync(Postgres, 300, seed: 6, batch: 100);

        await using var db = Postgres();
        var max = await db.Articles.MaxAsync(a => a.Id);
        var next = await db.Database.SqlQueryRaw<long>("""SELECT nextval(pg_get_serial_sequence('"Articles"', 'Id')) AS "Value" """).SingleAsync();
        Assert.Equal(max + 1, next);
        Assert.Equal(300 + TestContent.ArticleCount, max);
    }

    [Fact]
    public async Task SameSeedTwice_ContinuesNumberingAndIds()
    {
        await GenerateAsync(Postgres, 300, seed: 5, batch: 20_000);
        // A row taken by the site between the runs: its id must not come back.
        await using (var db = Postgres())
        {
            await db.Database.ExecuteSqlRawAsync("""SELECT nextval(pg_get_serial_sequence('"Articles"', 'Id'))""");
        }

        var (second, _) = await GenerateAsync(Postgres, 200, seed: 5, batch: 20_000);

        Assert.Equal(301, second.FirstNumber);
        await using var check = Postgres();
        var ids = await check.Articles.Where(a => a.Slug.StartsWith("gen-5-")).OrderBy(a => a.Id).Select(a => new { a.Id, a.Slug }).ToListAsync();
        Assert.Equal(500, ids.Count);
        Assert.Equal("gen-5-301", ids[300].Slug);
        Assert.Equal(ids[299].Id + 2, ids[300].Id);
    }

    [Fact]
    public async Task GeneratedArticle_SavesThroughEfCoreWithItsConcurrencyToken()
    {
        await GenerateAsync(Postgres, 100, seed: 2, batch: 20_000);

        await using (var db = Postgres())
        {
            var article = await db.Articles.SingleAsync(a => a.Slug == "gen-2-50");
            article.Title = "改过的标题";
            await db.SaveChangesAsync();
        }
        await using (var db = Postgres())
        {
            Assert.Equal("改过的标题", (await db.Articles.SingleAsync(a => a.Slug == "gen-2-50")).Title);
        }
    }
}
