using Microsoft.Data.Sqlite;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Tests.Data;

public sealed class SqliteStatementsTests : IDisposable
{
    private static readonly PreparedRead Count = new("""SELECT COUNT(*) FROM "Items" WHERE "Value" >= $min""", "$min");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "povertynews-statements-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public SqliteStatementsTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = $"Data Source={Path.Combine(_folder, "news.db")}";
        Execute("""PRAGMA journal_mode=WAL; CREATE TABLE "Items" ("Id" INTEGER PRIMARY KEY, "Value" INTEGER NOT NULL);""");
        Execute("""INSERT INTO "Items" ("Value") VALUES (1), (2), (3);""");
    }

    private long Execute(string sql)
    {
        using var connection = new SqliteConnection(_connectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private static long CountFrom(SqliteStatements statements, int min)
    {
        using var lease = statements.Rent()!;
        return lease.Read(Count, [min], r => { r.Read(); return r.GetInt64(0); });
    }

    [Fact]
    public void ARentedConnection_SeesWritesCommittedSinceItsLastUse_AndATableThatChangedShape()
    {
        using var statements = new SqliteStatements(_connectionString);
        Assert.Equal(2, CountFrom(statements, 2));

        Execute("""INSERT INTO "Items" ("Value") VALUES (5);""");
        Execute("""ALTER TABLE "Items" ADD COLUMN "Note" TEXT;""");

        Assert.Equal(3, CountFrom(statements, 2));
    }

    [Fact]
    public void BetweenUses_NoReadTransactionStaysOpen_SoACheckpointEmptiesTheLog()
    {
        using var statements = new SqliteStatements(_connectionString);
        CountFrom(statements, 1);
        Execute("""INSERT INTO "Items" ("Value") VALUES (7);""");

        // busy is the first column: 0 when no reader held back the checkpoint. A statement left unreset would keep a
        // read transaction, and the write-ahead log would grow for as long as the connection idles.
        Assert.Equal(0, BusyOfCheckpoint());
        Assert.Equal(0, new FileInfo(Path.Combine(_folder, "news.db-wal")).Length);
    }

    private long BusyOfCheckpoint()
    {
        using var connection = new SqliteConnection(_connectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0);
    }

    [Fact]
    public void ClearIdle_ClosesTheKeptConnections_SoTheDatabaseCanLeaveWriteAheadLogging()
    {
        using var statements = new SqliteStatements(_connectionString);
        CountFrom(statements, 1);
        Assert.Equal("wal", JournalModeAfterAskingFor("truncate"));

        SqliteStatements.ClearIdle(Path.Combine(_folder, "news.db"));

        Assert.Equal("truncate", JournalModeAfterAskingFor("truncate"));
        Assert.Equal(3, CountFrom(statements, 1));
    }

    // SQLite answers with the mode it is in: the old one while another connection holds the log open.
    private string JournalModeAfterAskingFor(string mode)
    {
        using var connection = new SqliteConnection(_connectionString + ";Pooling=False;Default Timeout=1");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode={mode};";
        try
        {
            return (string)command.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5)
        {
            return "wal";
        }
    }

    [Fact]
    public void ALease_NeverWrites()
    {
        using var statements = new SqliteStatements(_connectionString);
        var delete = new PreparedRead("""DELETE FROM "Items" RETURNING "Id";""");
        using var lease = statements.Rent()!;

        var error = Assert.Throws<SqliteException>(() => lease.Read(delete, [], r => r.Read()));

        Assert.Contains("readonly", error.Message.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, Execute("""SELECT COUNT(*) FROM "Items";"""));
    }

    [Fact]
    public void ADatabaseInMemory_OrNone_RentsNothing()
    {
        using var memory = new SqliteStatements("Data Source=:memory:");
        Assert.False(memory.Available);
        Assert.Null(memory.Rent());
        Assert.Null(SqliteStatements.None.Rent());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
