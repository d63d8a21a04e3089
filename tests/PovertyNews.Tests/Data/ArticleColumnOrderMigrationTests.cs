using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PovertyNews.Web.Data;
using PovertyNews.Web.Infrastructure;

namespace PovertyNews.Tests.Data;

/// <summary>
/// The Articles rebuild on a database that has content: nothing that points at an article is lost (the old table is
/// dropped, which with foreign keys on would cascade), ids and the id counter survive, and the bodies end the row.
/// </summary>
public sealed class ArticleColumnOrderMigrationTests : IDisposable
{
    private const string Before = "20261128223405_Media";
    private const string ForeignKeysOff = "20261129004613_ArticleColumnOrderForeignKeysOff";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-migration-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public ArticleColumnOrderMigrationTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private NewsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connectionString).Options);

    [Fact]
    public async Task RebuildWithContent_KeepsArticlesAndEverythingPointingAtThem()
    {
        await SeedBeforeTheRebuildAsync();

        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();

            await AssertRebuiltWithEverythingAsync(db);
        }
    }

    [Fact]
    public async Task StoppedAfterForeignKeysOff_RebuildRefusesOnANewConnectionAndChangesNothing()
    {
        await SeedBeforeTheRebuildAsync();
        await using (var db = NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(ForeignKeysOff);
        }

        await using (var db = NewContext())
        {
            var refusal = await Assert.ThrowsAsync<SqliteException>(() => db.Database.MigrateAsync());

            Assert.Contains("foreign keys are on", refusal.Message);
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS Value FROM ArticleTags").SingleAsync());
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS Value FROM Placements").SingleAsync());
            Assert.Equal("Slug", (await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('Articles') ORDER BY cid").ToListAsync())[1]);
            Assert.DoesNotContain("20261129004614_ArticleColumnOrder", await db.Database.GetAppliedMigrationsAsync());
        }
    }

    [Fact]
    public async Task StoppedAfterForeignKeysOff_NextAppStartCompletesTheRebuild()
    {
        await SeedBeforeTheRebuildAsync();
        await using (var db = NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(ForeignKeysOff);
        }

        await using (var db = NewContext())
        {
            await FirstStart.MigrateAsync(db, CancellationToken.None);

            await AssertRebuiltWithEverythingAsync(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
    }

    private async Task SeedBeforeTheRebuildAsync()
    {
        await using (var db = NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO Channels (Id, Slug, Name, SortOrder, IsHidden, Version) VALUES (1, 'xiezuo', '东西部协作', 1, 0, '3f1c2b9e-0000-4000-8000-000000000001');
                INSERT INTO Tags (Id, Name) VALUES (1, '湘西');
                INSERT INTO Articles (Id, Slug, Title, Summary, BodyMarkdown, BodyHtml, ChannelId, Source, Kind, Status,
                    PublishedAt, CreatedAt, UpdatedAt, ViewCount, Version, ReviewLevel)
                VALUES (7, 'jinan-xiangxi', '济南市党政代表团赴湘西州考察', '摘要', '正文 **一**', '<p>正文 <strong>一</strong></p>', 1,
                    '湘西州融媒体中心', 0, 2, '2020-06-23 01:30:00', '2020-06-23 01:00:00', '2020-06-23 01:30:00', 12, '3f1c2b9e-0000-4000-8000-000000000001', 3);
                INSERT INTO Articles (Id, Slug, Title, Summary, BodyMarkdown, BodyHtml, ChannelId, Kind, Status,
                    CreatedAt, UpdatedAt, ViewCount, Version, ReviewLevel)
                VALUES (9, 'deleted-later', '后来删除的稿件', '摘要', '正文', '<p>正文</p>', 1, 0, 0, '2020-06-24 01:00:00', '2020-06-24 01:00:00', 0, '3f1c2b9e-0000-4000-8000-000000000001', 0);
                DELETE FROM Articles WHERE Id = 9;
                INSERT INTO ArticleTags (ArticlesId, TagsId) VALUES (7, 1);
                INSERT INTO ArticleDailyViews (ArticleId, Day, Views) VALUES (7, '2020-06-23', 12);
                INSERT INTO ArticleReviews (ArticleId, Action, Level, UserName, At) VALUES (7, 0, 1, '编辑', '2020-06-23 01:10:00');
                INSERT INTO Placements (Block, ArticleId, Position, PlacedAt) VALUES (0, 7, 1, '2020-06-23 01:40:00');
                """);
        }

    }

    private static async Task AssertRebuiltWithEverythingAsync(NewsDbContext db)
    {
        var article = await db.Articles.Include(a => a.Tags).SingleAsync();
        Assert.Equal((7, "济南市党政代表团赴湘西州考察", "<p>正文 <strong>一</strong></p>", "正文 **一**", "湘西州融媒体中心", 12),
            (article.Id, article.Title, article.BodyHtml, article.BodyMarkdown, article.Source, article.ViewCount));
        Assert.Equal("湘西", Assert.Single(article.Tags).Name);
        Assert.Equal(1, await db.ArticleDailyViews.CountAsync(v => v.ArticleId == 7));
        Assert.Equal(1, await db.ArticleReviews.CountAsync(r => r.ArticleId == 7));
        Assert.Equal(1, await db.Placements.CountAsync(p => p.ArticleId == 7));

        var columns = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('Articles') ORDER BY cid").ToListAsync();
        Assert.Equal(["BodyHtml", "BodyMarkdown"], columns[^2..]);
        Assert.Equal(42, columns.Count);
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT name AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Articles' AND sql IS NOT NULL ORDER BY name").ToListAsync();
        Assert.Equal(["IX_Articles_ChannelId_Status_PublishedAt", "IX_Articles_Kind_Status_PublishedAt", "IX_Articles_OfflineAt",
            "IX_Articles_OwnerId_Status", "IX_Articles_RecycledAt", "IX_Articles_Slug", "IX_Articles_Status_PublishedAt"], indexes);
        Assert.Empty(await db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_check").ToListAsync());
        Assert.Equal(1L, await db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS Value FROM pragma_foreign_keys").SingleAsync());

        // The deleted article's id is not given again.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO Articles (Slug, Title, Summary, BodyMarkdown, BodyHtml, ChannelId, Kind, Status, CreatedAt, UpdatedAt, ViewCount, Version)
            VALUES ('new', '新稿', '摘要', '正文', '<p>正文</p>', 1, 0, 0, '2020-06-25 01:00:00', '2020-06-25 01:00:00', 0, '3f1c2b9e-0000-4000-8000-000000000001');
            """);
        Assert.Equal(10, await db.Articles.Where(a => a.Slug == "new").Select(a => a.Id).SingleAsync());
    }
}
