using System.Buffers.Binary;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The review's case: a database file with a damaged page in the middle of the Articles table, on which reader pages
/// fail while <c>/healthz</c> said 200. Readiness now answers 503 from the first such failure, and the quick_check
/// confirms it; liveness stays 200. A host of its own: the test leaves its database damaged.
/// </summary>
// Provider-specific: a damaged SQLite page and quick_check.
[Trait("Provider", "Sqlite")]
public sealed class DamagedDatabaseHealthTests(DamagedDatabaseHealthTests.App shared) : IClassFixture<DamagedDatabaseHealthTests.App>
{
    public sealed class App() : SharedNewsApp(HealthProbe.Uncached);

    private const byte InteriorTablePage = 0x05;
    private const byte LeafTablePage = 0x0D;

    [Fact]
    public async Task Ready_WhenAnArticlesPageIsDamaged_Answers503WhileLiveAnswers200()
    {
        var factory = shared.Factory;
        await shared.ResetAsync();
        // Enough articles that the table has a root page over several leaves, so "the middle" is a leaf of its own.
        var channel = await factory.WithDbAsync(db => db.Channels.Select(c => c.Id).FirstAsync());
        await factory.WithDbAsync(async db =>
        {
            for (var i = 0; i < 60; i++)
            {
                db.Articles.Add(new ArticleBuilder(channel).Body(string.Concat(Enumerable.Repeat("脱贫攻坚，乡村振兴。", 40))).Build());
            }
            return await db.SaveChangesAsync();
        });
        var before = await HealthProbe.IntegrityCheckedAsync(factory);
        Assert.True(before?.Passed, "the sound database should pass quick_check");
        Assert.Equal(HttpStatusCode.OK, (await HealthProbe.GetAsync(factory, "/healthz/ready")).Code);

        var file = await factory.WithDbAsync(db => Task.FromResult(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource));
        var damagedArticle = DamageMiddleLeafOfArticles(file);

        // The review's symptom: a reader page whose row sat on that page fails; readiness says so at once.
        using (var reader = factory.CreateReader())
        using (var page = await reader.GetAsync($"/articles/{damagedArticle}"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        }
        var seen = await HealthProbe.GetAsync(factory, "/healthz/ready");
        var live = await HealthProbe.GetAsync(factory, "/healthz/live");

        // What the background service does every interval (and at start), and what the report above started.
        var after = await HealthProbe.IntegrityCheckedAsync(factory);
        var ready = await HealthProbe.GetAsync(factory, "/healthz/ready");
        var healthz = await HealthProbe.GetAsync(factory, "/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, seen.Code);
        Assert.Equal("Unhealthy", seen.CheckStatus("integrity"));
        Assert.StartsWith("Database damaged: ", seen.Description("integrity"));
        Assert.Equal(HttpStatusCode.OK, live.Code);
        Assert.False(after?.Passed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("Unhealthy", ready.CheckStatus("integrity"));
        Assert.StartsWith("Database damaged: quick_check at ", ready.Description("integrity"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthz.Code);
        Assert.Equal(HttpStatusCode.OK, (await HealthProbe.GetAsync(factory, "/healthz/live")).Code);
    }

    /// <summary>
    /// Moves every committed page into the file, walks the Articles table's b-tree from its root to the leaf in the
    /// middle, and overwrites that page with junk, as a bad sector or a torn write would leave it. Returns the id of
    /// an article whose row was on it.
    /// </summary>
    private static long DamageMiddleLeafOfArticles(string file)
    {
        int pageSize, root;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                Assert.True(reader.GetInt32(0) == 0, "the checkpoint was blocked, so pages may still sit in the -wal file");
            }
            command.CommandText = "PRAGMA page_size";
            pageSize = Convert.ToInt32(command.ExecuteScalar());
            command.CommandText = "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'Articles'";
            root = Convert.ToInt32(command.ExecuteScalar());
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var page = new byte[pageSize];
        var number = root;
        var depth = 0;
        while (true)
        {
            stream.Position = (long)(number - 1) * pageSize;
            stream.ReadExactly(page);
            var header = number == 1 ? 100 : 0;
            if (page[header] == LeafTablePage)
            {
                break;
            }
            Assert.True(page[header] == InteriorTablePage, $"page {number} is not a table b-tree page");
            var cells = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header + 3));
            var cell = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header + 12 + 2 * (cells / 2)));
            number = (int)BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(cell));
            depth++;
        }
        Assert.True(depth > 0, "the Articles table fits in one page; the test needs more rows");
        // A leaf cell: the payload's length, then the rowid (the article's id), both varints.
        var header0 = number == 1 ? 100 : 0;
        var offset = (int)BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(header0 + 8));
        ReadVarint(page, ref offset);
        var rowid = ReadVarint(page, ref offset);
        Array.Fill(page, (byte)0x5A);
        stream.Position = (long)(number - 1) * pageSize;
        stream.Write(page);
        stream.Flush(flushToDisk: true);
        return rowid;
    }

    private static long ReadVarint(byte[] page, ref int offset)
    {
        long value = 0;
        for (var i = 0; i < 9; i++)
        {
            var b = page[offset++];
            if (i == 8)
            {
                return (value << 8) | b;
            }
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        return value;
    }
}
