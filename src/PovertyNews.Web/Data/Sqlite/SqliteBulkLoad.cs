using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// A bulk load in progress on one connection: call <see cref="Started"/> in the first transaction before its rows,
/// <see cref="Finishing"/> before the last commit, <see cref="Committed"/> after each commit, <see cref="FinishAsync"/>
/// once all writers are done, dispose at the end.
/// This base does nothing; <see cref="SqliteDatabase.BeginBulkLoadAsync"/> returns what the database needs.
/// </summary>
public class BulkLoad : IAsyncDisposable
{
    /// <summary>Rows per transaction the load needs whatever the caller asked for (null: the caller's batch).</summary>
    public virtual int? RowsPerTransaction => null;

    /// <summary>How the load goes, in a line for the command's output; null when there is nothing to say.</summary>
    public virtual string? Description => null;

    public virtual void Started(DbTransaction transaction)
    {
    }

    public virtual void Finishing(DbTransaction transaction)
    {
    }

    public virtual void Committed()
    {
    }

    /// <summary>
    /// After the last commit of every writer, on the writers' <paramref name="connections"/> (the loading one first):
    /// the work a load does once the rows are in, timed with the load. Writes what it did to <paramref name="output"/>.
    /// </summary>
    public virtual Task FinishAsync(IReadOnlyList<DbConnection> connections, TextWriter output, CancellationToken ct) => Task.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// SQLite settings for a bulk load, on the loading connection only and restored at the end. Two ways, chosen at the
/// start:
/// <para>
/// Database to itself (nobody else has the file open, so SQLite lets it leave write-ahead logging) and a run at
/// least as large as the table: a rollback journal instead of the log, and the whole run in one transaction that
/// drops the tables' secondary indexes first and re-creates them before its commit, from their own SQL read from
/// sqlite_master in that transaction. Each page is written once, into the database file: with the log it was
/// written twice (log, then checkpoint), and new pages at the end of the file need no journal. A cancelled, failed
/// or killed run rolls back to the database as it was, indexes included (a killed one when the database is next
/// opened, from the journal). A 32 MB page cache while the rows go in (a bigger one only costs memory
/// allocation and sorting dirty pages: no index is left to cache) and a memory map for the index builds' table
/// scans. Write-ahead logging is switched back on at the end (and by the site's start, should a run be killed).
/// </para>
/// <para>
/// Otherwise (the site or anyone else has the database open, or a small run into a big table): the log stays,
/// batches as the caller asks, indexes maintained row by row, a 256 MB page cache so they stay in memory, and
/// checkpoints (copying the log into the database file) on a second connection and thread, started after each
/// commit, instead of inside the next commit: the loading thread is the bottleneck.
/// </para>
/// Both: synchronous=OFF, no fsync at commit. A crash of the process loses nothing committed; a power cut could.
/// </summary>
internal sealed class SqliteBulkLoad : BulkLoad
{
    private const long CacheKiB = 262_144;
    private const long OwnCacheKiB = 32_768;
    private const long MapBytes = 1L << 40; // SQLite caps it at its compiled maximum

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, long> _restore;
    private readonly bool _leftWal;
    private readonly IReadOnlyList<string> _tables;
    private readonly SqliteConnection? _checkpointer;
    private readonly SemaphoreSlim _commits = new(0);
    private readonly Task _checkpoints = Task.CompletedTask;
    private readonly List<(string Name, string Sql)> _dropped = [];
    private int _pending;
    private volatile bool _stopping;

    private SqliteBulkLoad(SqliteConnection connection, Dictionary<string, long> restore, bool leftWal, IReadOnlyList<string> tables,
        bool dropIndexes, SqliteConnection? checkpointer)
    {
        _connection = connection;
        _restore = restore;
        _leftWal = leftWal;
        _tables = dropIndexes ? tables : [];
        _checkpointer = checkpointer;
        if (checkpointer is not null)
        {
            _checkpoints = Task.Run(CheckpointAsync);
        }
    }

    /// <summary>True when the run goes in one transaction with the tables' secondary indexes dropped and re-created.</summary>
    public bool DropsIndexes => _tables.Count > 0;

    public override int? RowsPerTransaction => DropsIndexes ? int.MaxValue : null;

    public override string? Description => DropsIndexes
        ? $"the database to itself: one transaction with a rollback journal; the indexes of {string.Join(" and ", _tables)} dropped and re-created before the commit"
        : _leftWal ? "the database to itself: rollback journal, indexes maintained row by row (the run is small for the table)" : null;

    /// <param name="tables">Tables the rows go into, the first the main one; their secondary indexes may be dropped.</param>
    /// <param name="rows">Rows about to go into the first table.</param>
    public static async Task<SqliteBulkLoad> BeginAsync(SqliteConnection connection, IReadOnlyList<string> tables, long rows,
        CancellationToken ct)
    {
        var restore = new Dictionary<string, long>();
        foreach (var pragma in new[] { "synchronous", "cache_size", "wal_autocheckpoint", "mmap_size" })
        {
            restore[pragma] = await LongAsync(connection, $"PRAGMA {pragma};", ct);
        }
        var wal = string.Equals(await SqliteDatabase.ScalarAsync(connection, "PRAGMA journal_mode;", ct) as string, "wal",
            StringComparison.OrdinalIgnoreCase);
        await SqliteDatabase.ScalarAsync(connection, "PRAGMA synchronous=OFF;", ct);

        var leftWal = wal && await TryLeaveWalAsync(connection, ct);
        var dropIndexes = leftWal && tables.Count > 0 && rows >= await LongAsync(connection, $"""SELECT COUNT(*) FROM "{tables[0]}";""", ct);
        await SqliteDatabase.ScalarAsync(connection, $"PRAGMA cache_size=-{(dropIndexes ? OwnCacheKiB : CacheKiB)};", ct);
        if (dropIndexes)
        {
            await SqliteDatabase.ScalarAsync(connection, $"PRAGMA mmap_size={MapBytes};", ct);
        }
        SqliteConnection? checkpointer = null;
        if (wal && !leftWal)
        {
            await SqliteDatabase.ScalarAsync(connection, "PRAGMA wal_autocheckpoint=0;", ct);
            checkpointer = new SqliteConnection(connection.ConnectionString);
            await checkpointer.OpenAsync(ct);
        }
        return new SqliteBulkLoad(connection, restore, leftWal, tables, dropIndexes, checkpointer);
    }

    /// <summary>
    /// Switches the database to a rollback journal if nobody else has it open: SQLite refuses (busy) while any
    /// other connection, even an idle one, holds the log open. This process's own idle connections count too (the
    /// pool's and those kept for prepared statements), so they are closed first.
    /// </summary>
    private static async Task<bool> TryLeaveWalAsync(SqliteConnection connection, CancellationToken ct)
    {
        if (connection.DataSource is not { Length: > 0 } path || path == ":memory:" || !File.Exists(path))
        {
            return false;
        }
        SqliteConnection.ClearPool(connection);
        SqliteStatements.ClearIdle(path);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=TRUNCATE;";
        // The provider retries a busy database until the timeout; the answer is known at once.
        command.CommandTimeout = 1;
        try
        {
            return string.Equals(await command.ExecuteScalarAsync(ct) as string, "truncate", StringComparison.OrdinalIgnoreCase);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return false;
        }
    }

    /// <summary>Drops the secondary indexes of the tables in <paramref name="transaction"/>, keeping their SQL.</summary>
    public override void Started(DbTransaction transaction)
    {
        if (!DropsIndexes || _dropped.Count > 0)
        {
            return;
        }
        using (var read = _connection.CreateCommand())
        {
            read.Transaction = (SqliteTransaction)transaction;
            // Indexes of PRIMARY KEY and UNIQUE constraints have no SQL (and cannot be dropped): they stay.
            read.CommandText = $"""
                SELECT "name", "sql" FROM "sqlite_master"
                WHERE "type" = 'index' AND "sql" IS NOT NULL AND "tbl_name" IN ({string.Join(", ", _tables.Select((_, i) => $"@t{i}"))})
                ORDER BY "tbl_name", "name"
                """;
            for (var i = 0; i < _tables.Count; i++)
            {
                read.Parameters.AddWithValue($"@t{i}", _tables[i]);
            }
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                _dropped.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in _dropped)
        {
            Execute(transaction, $"""DROP INDEX "{name.Replace("\"", "\"\"", StringComparison.Ordinal)}";""");
        }
    }

    /// <summary>Re-creates the dropped indexes, with their own SQL, before the transaction commits.</summary>
    public override void Finishing(DbTransaction transaction)
    {
        if (_dropped.Count == 0)
        {
            return;
        }
        // Sorting the keys of an index is the build's work: the bigger cache is its memory.
        Execute(transaction, $"PRAGMA cache_size=-{CacheKiB};");
        foreach (var (_, sql) in _dropped)
        {
            Execute(transaction, sql);
        }
        _dropped.Clear();
    }

    public override void Committed()
    {
        // One checkpoint waiting is enough: it copies everything committed by the time it runs.
        if (_checkpointer is not null && Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _commits.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _stopping = true;
        _commits.Release();
        await _checkpoints;
        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }
        _commits.Dispose();
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            foreach (var (pragma, value) in _restore)
            {
                await SqliteDatabase.ScalarAsync(_connection, $"PRAGMA {pragma}={value.ToString(CultureInfo.InvariantCulture)};", CancellationToken.None);
            }
            if (_leftWal)
            {
                // Should someone have opened the database since, it stays on the journal until the site's next start
                // (SqliteDatabase.PrepareAsync), which turns the log on again: slower for writers, nothing lost.
                try
                {
                    await using var command = _connection.CreateCommand();
                    command.CommandText = "PRAGMA journal_mode=WAL;";
                    command.CommandTimeout = 5;
                    await command.ExecuteScalarAsync();
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
                {
                }
            }
        }
        await base.DisposeAsync();
    }

    private void Execute(DbTransaction transaction, string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        // An index build on millions of rows takes longer than the default 30 s.
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private async Task CheckpointAsync()
    {
        while (true)
        {
            await _commits.WaitAsync();
            if (_stopping)
            {
                return;
            }
            Interlocked.Exchange(ref _pending, 0);
            // PASSIVE: copies what it can without waiting for or blocking the loading connection.
            await SqliteDatabase.ScalarAsync(_checkpointer!, "PRAGMA wal_checkpoint(PASSIVE);", CancellationToken.None);
        }
    }

    private static async Task<long> LongAsync(SqliteConnection connection, string sql, CancellationToken ct) =>
        Convert.ToInt64(await SqliteDatabase.ScalarAsync(connection, sql, ct), CultureInfo.InvariantCulture);
}
