using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Data;

/// <summary>
/// An audit log written before the hash chain: the migration numbers the entries in id order, sealing chains them,
/// the result verifies, and new entries link after them, also when two contexts save at the same time.
/// </summary>
public sealed class AuditChainMigrationTests : IDisposable
{
    private const string Before = "20261129004615_ArticleColumnOrderForeignKeysOn";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-audit-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public AuditChainMigrationTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private NewsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connectionString).AddInterceptors(new AuditChainInterceptor()).Options);

    private async Task SeedOldLogAsync()
    {
        await using var db = NewContext();
        await db.GetService<IMigrator>().MigrateAsync(Before);
        // Ids with gaps, as left by deleted rows.
        foreach (var id in new[] { 3, 7, 9 })
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO AuditEntries (Id, At, UserName, Action, Target) VALUES ({id}, {$"2026-01-0{id % 9 + 1} 08:00:00"}, '张编辑', 'article.saved', {"article:" + id})");
        }
    }

    [Fact]
    public async Task OldEntries_AreNumberedByTheMigrationAndChainedBySealing()
    {
        await SeedOldLogAsync();
        await using var db = NewContext();
        await db.Database.MigrateAsync();

        var numbered = await db.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.Id, e.Sequence, e.Hash }).ToListAsync();
        Assert.Equal([1L, 2L, 3L], numbered.Select(e => e.Sequence));
        Assert.All(numbered, e => Assert.Null(e.Hash));
        Assert.False((await AuditChain.VerifyAsync(db)).Intact);

        Assert.Equal(3, await AuditChain.SealAsync(db, CancellationToken.None));
        Assert.Equal(0, await AuditChain.SealAsync(db, CancellationToken.None));

        var result = await AuditChain.VerifyAsync(db);
        Assert.True(result.Intact);
        Assert.Equal(3, result.Checked);
        var first = await db.AuditEntries.SingleAsync(e => e.Id == 3);
        Assert.Equal(AuditHash.Genesis, first.PreviousHash);
    }

    [Fact]
    public async Task NewEntryOnAnUnsealedLog_SealsTheOldOnesFirst()
    {
        await SeedOldLogAsync();
        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
            db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, UserName = "系统", Action = "test.new" });
            await db.SaveChangesAsync();
        }

        await using (var db = NewContext())
        {
            var added = await db.AuditEntries.SingleAsync(e => e.Action == "test.new");
            Assert.Equal(4, added.Sequence);
            Assert.True((await AuditChain.VerifyAsync(db)).Intact);
        }
    }

    [Fact]
    public async Task ConcurrentSaves_FromSeparateContexts_KeepOneUnbrokenChain()
    {
        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        // Each writer reads the tail inside its own write transaction, so no two can link to the same entry.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await using var db = NewContext();
                db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, UserName = $"writer{writer}", Action = "test.concurrent", Target = $"{writer}:{i}" });
                db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, UserName = $"writer{writer}", Action = "test.concurrent", Target = $"{writer}:{i}b" });
                await db.SaveChangesAsync();
            }
        })));

        await using (var db = NewContext())
        {
            var result = await AuditChain.VerifyAsync(db);
            Assert.True(result.Intact, result.Break?.Describe());
            Assert.Equal(120, result.Checked);
            Assert.Equal(120, result.HeadSequence);
        }
    }
}
