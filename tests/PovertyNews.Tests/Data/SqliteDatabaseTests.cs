using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Data;

/// <summary>
/// Whether a table ever held a row decides whether a first start's import resumes: an interrupted import saved no
/// article, a newsroom that deleted every article did.
/// </summary>
public sealed class SqliteDatabaseTests : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteDatabaseTests(MigratedDatabase migrated)
    {
        _connection.Open();
        migrated.CopyTo(_connection);
    }

    public void Dispose() => _connection.Dispose();

    private NewsDbContext NewContext() => new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connection).Options);

    [Fact]
    public async Task NewDatabase_ArticlesNeverHeldARow_UntilOneWasSavedEvenIfDeletedSince()
    {
        await using var db = NewContext();
        Assert.False(await SqliteDatabase.EverHeldRowsAsync(db, "Articles", CancellationToken.None));

        var channel = new Channel { Slug = "c", Name = "栏目" };
        db.Channels.Add(channel);
        await db.SaveChangesAsync();
        Assert.False(await SqliteDatabase.EverHeldRowsAsync(db, "Articles", CancellationToken.None));

        var article = new Article { Slug = "a", Title = "标题", ChannelId = channel.Id, CreatedAt = DateTime.UtcNow };
        article.SetBody("正文", "<p>正文</p>");
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        db.Articles.Remove(article);
        await db.SaveChangesAsync();

        Assert.Equal(0, await db.Articles.CountAsync());
        Assert.True(await SqliteDatabase.EverHeldRowsAsync(db, "Articles", CancellationToken.None));
    }

    [Fact]
    public async Task RowsSavedInATransactionThatRolledBack_DoNotCount()
    {
        await using var db = NewContext();
        var channel = new Channel { Slug = "c", Name = "栏目" };
        db.Channels.Add(channel);
        await db.SaveChangesAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var article = new Article { Slug = "a", Title = "标题", ChannelId = channel.Id, CreatedAt = DateTime.UtcNow };
            article.SetBody("正文", "<p>正文</p>");
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.False(await SqliteDatabase.EverHeldRowsAsync(db, "Articles", CancellationToken.None));
    }
}
