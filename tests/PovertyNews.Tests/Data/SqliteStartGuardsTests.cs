using Microsoft.Extensions.Logging.Abstractions;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Tests.Data;

/// <summary>A database file that is empty or not a database stops the start instead of becoming a new, empty site.</summary>
public sealed class SqliteStartGuardsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("povertynews-guards-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void ZeroByteFile_IsRefused_WithWhatToDo_AndLeftAsItIs()
    {
        var path = PathOf("news.db");
        File.WriteAllBytes(path, []);

        var refused = Assert.Throws<StartRefusedException>(() => SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance));

        Assert.Contains("is empty (0 bytes)", refused.Message);
        Assert.Contains("--init", refused.Message);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void FileThatIsNotADatabase_IsRefused()
    {
        var path = PathOf("news.db");
        File.WriteAllText(path, "这不是数据库，是一份文本。");

        var refused = Assert.Throws<StartRefusedException>(() => SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance));

        Assert.Contains("is not an SQLite database", refused.Message);
    }

    [Fact]
    public void WithInit_TheFileAndItsJournalAreMovedAside_NeverDeleted()
    {
        var path = PathOf("news.db");
        File.WriteAllBytes(path, []);
        File.WriteAllText(path + "-wal", "wal");

        SqliteStartGuards.CheckFile(path, init: true, NullLogger.Instance);

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + "-wal"));
        var aside = Assert.Single(Directory.GetFiles(_folder, "news.db.empty-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal));
        Assert.Equal("wal", File.ReadAllText(aside + "-wal"));
    }

    [Fact]
    public void MissingFileOrARealDatabase_Passes()
    {
        SqliteStartGuards.CheckFile(PathOf("absent.db"), init: false, NullLogger.Instance);
        var path = PathOf("real.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x INTEGER);";
            command.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance);
    }

    [Fact]
    public void EmptyFileLeftByAFirstStartKilledWhileCreatingIt_IsMovedAsideWithoutInit()
    {
        var path = PathOf("news.db");
        // The killed start: it found no file, marked that it was creating one, and SQLite made the empty file.
        SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance);
        File.WriteAllBytes(path, []);

        SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance);

        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(_folder, "news.db.empty-*"));
    }

    [Fact]
    public void EmptyFileAfterTheCreatingStartFinishedMigrating_IsRefusedAgain()
    {
        var path = PathOf("news.db");
        SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance);
        SqliteStartGuards.CreationDone(path);
        File.WriteAllBytes(path, []);

        Assert.Throws<StartRefusedException>(() => SqliteStartGuards.CheckFile(path, init: false, NullLogger.Instance));
        Assert.True(File.Exists(path));
    }
}
