using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// A bulk load in progress on one connection: call <see cref="Committed"/> after each commit, dispose at the end.
/// This base does nothing; <see cref="SqliteDatabase.BeginBulkLoadAsync"/> returns what the database needs.
/// </summary>
public class BulkLoad : IAsyncDisposable
{
    public virtual void Committed()
    {
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// SQLite settings for a bulk load, on the loading connection only and restored at the end:
/// <list type="bullet">
/// <item>synchronous=OFF: no fsync at commit. With write-ahead logging a crash of the process still loses nothing
/// committed; only a power cut could.</item>
/// <item>A 256 MB page cache, so the indexes of a table with millions of rows stay in memory.</item>
/// <item>Checkpoints (copying the write-ahead log into the database file) on a second connection and thread,
/// started after each commit, instead of inside the next commit: the loading thread is the bottleneck, and
/// copying takes it about as long as writing the log in the first place.</item>
/// </list>
/// </summary>
internal sealed class SqliteBulkLoad : BulkLoad
{
    private readonly SqliteConnection _connection;
    private readonly long _synchronous;
    private readonly long _cacheSize;
    private readonly long _autoCheckpoint;
    private readonly SqliteConnection? _checkpointer;
    private readonly SemaphoreSlim _commits = new(0);
    private readonly Task _checkpoints = Task.CompletedTask;
    private int _pending;
    private volatile bool _stopping;

    private SqliteBulkLoad(SqliteConnection connection, long synchronous, long cacheSize, long autoCheckpoint, SqliteConnection? checkpointer)
    {
        _connection = connection;
        _synchronous = synchronous;
        _cacheSize = cacheSize;
        _autoCheckpoint = autoCheckpoint;
        _checkpointer = checkpointer;
        if (checkpointer is not null)
        {
            _checkpoints = Task.Run(CheckpointAsync);
        }
    }

    public static async Task<SqliteBulkLoad> BeginAsync(SqliteConnection connection, CancellationToken ct)
    {
        var synchronous = await LongAsync(connection, "PRAGMA synchronous;", ct);
        var cacheSize = await LongAsync(connection, "PRAGMA cache_size;", ct);
        var autoCheckpoint = await LongAsync(connection, "PRAGMA wal_autocheckpoint;", ct);
        var wal = string.Equals(await SqliteDatabase.ScalarAsync(connection, "PRAGMA journal_mode;", ct) as string, "wal",
            StringComparison.OrdinalIgnoreCase);
        await SqliteDatabase.ScalarAsync(connection, "PRAGMA synchronous=OFF;", ct);
        await SqliteDatabase.ScalarAsync(connection, "PRAGMA cache_size=-262144;", ct);
        SqliteConnection? checkpointer = null;
        if (wal)
        {
            await SqliteDatabase.ScalarAsync(connection, "PRAGMA wal_autocheckpoint=0;", ct);
            checkpointer = new SqliteConnection(connection.ConnectionString);
            await checkpointer.OpenAsync(ct);
        }
        return new SqliteBulkLoad(connection, synchronous, cacheSize, autoCheckpoint, checkpointer);
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
            await SqliteDatabase.ScalarAsync(_connection, $"PRAGMA synchronous={Number(_synchronous)};", CancellationToken.None);
            await SqliteDatabase.ScalarAsync(_connection, $"PRAGMA cache_size={Number(_cacheSize)};", CancellationToken.None);
            await SqliteDatabase.ScalarAsync(_connection, $"PRAGMA wal_autocheckpoint={Number(_autoCheckpoint)};", CancellationToken.None);
        }
        await base.DisposeAsync();
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

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
