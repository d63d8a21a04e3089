using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>
/// PostgreSQL settings for a bulk load, on the loading connection only and put back at the end:
/// <list type="bullet">
/// <item>synchronous_commit=off: a commit does not wait for its write-ahead log to reach the disk. A crash can lose
/// the last commits (the server replays up to where the log got), never leave the database inconsistent.</item>
/// <item>default_toast_compression=lz4 where the server has it: the bodies of several kilobytes are compressed as
/// they are stored, and pglz, the default, costs the server more than the rest of the row's work.</item>
/// </list>
/// At the end the loaded tables are analysed, so the planner does not plan queries on them with the row counts of
/// before the load.
/// <para>
/// A large load (at least as many rows as the first table has, into a database nobody else is connected to) also
/// drops the unique secondary indexes and the foreign keys of the tables first and re-creates them once the rows are
/// in (<see cref="FinishAsync"/>), from their own definitions read from the catalog, so they cannot drift from the
/// migrations': building a B-tree from sorted keys once costs the server a fraction of maintaining it row by row
/// when the keys arrive out of order, and one validating query per foreign key a fraction of a trigger per row
/// (which ones, and why not the other indexes: <see cref="DropAsync"/>). The rows go in on several connections, each
/// committing its batches, so the drop cannot be one transaction with the load (PostgreSQL's DDL is transactional,
/// but a transaction belongs to one connection, and its DROP INDEX would hold the table's exclusive lock against the
/// other writer and every reader until the end). Instead the drop is made durable: the definitions are written to
/// the bookkeeping table <see cref="DroppedTable"/> in the transaction that drops them, each re-creation deletes its
/// row in its own transaction, and the table is dropped when empty. A killed load leaves the rows behind, and
/// <see cref="RestoreDroppedAsync"/> re-creates them at the next generate and at the site's start. The load holds the
/// session advisory lock <see cref="LoadLockKey"/> meanwhile (the server releases it if the process dies), so a
/// restore never races a load in progress.
/// </para>
/// </summary>
public sealed class PostgresBulkLoad : BulkLoad
{
    /// <summary>Definitions of indexes and constraints a bulk load has dropped and not yet re-created.</summary>
    public const string DroppedTable = "BulkLoadDropped";

    /// <summary>The session advisory lock of a load that drops indexes ("bulkload" in ASCII).</summary>
    public const long LoadLockKey = 0x62756c6b6c6f6164;

    // Sorting the keys is an index build's work; 256 MB sorts a few million rows' keys in memory.
    private const string BuildMemory = "256MB";

    private readonly NpgsqlConnection _connection;
    private readonly string _synchronousCommit;
    private readonly string _toastCompression;
    private readonly IReadOnlyList<string> _tables;
    private readonly IReadOnlyList<string> _analyse;
    private List<Dropped> _dropped;
    private readonly string? _description;

    private PostgresBulkLoad(NpgsqlConnection connection, string synchronousCommit, string toastCompression, IReadOnlyList<string> analyse,
        IReadOnlyList<string> tables, List<Dropped> dropped, string? description)
    {
        _connection = connection;
        _synchronousCommit = synchronousCommit;
        _toastCompression = toastCompression;
        _analyse = analyse;
        _tables = tables;
        _dropped = dropped;
        _description = description;
    }

    /// <summary>An index or constraint dropped for the load: the statements that drop and re-create it.</summary>
    internal sealed record Dropped(string Name, int Step, string Create, string Drop);

    /// <summary>True when the load dropped the tables' unique secondary indexes and foreign keys.</summary>
    public bool DropsIndexes => _tables.Count > 0;

    public override string? Description => _description;

    /// <summary>
    /// Starts a bulk load into <paramref name="tables"/> (analysed when it ends) on an open connection. First
    /// re-creates whatever a killed load left dropped. <paramref name="rows"/>: rows about to go into the first table;
    /// when they are at least as many as it has and nobody else is connected, the indexes are dropped.
    /// </summary>
    public static async Task<PostgresBulkLoad> BeginAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, long rows, CancellationToken ct)
    {
        var synchronousCommit = (string)(await ScalarAsync(connection, "SHOW synchronous_commit;", ct))!;
        var toastCompression = (string)(await ScalarAsync(connection, "SHOW default_toast_compression;", ct))!;
        await ScalarAsync(connection, "SET synchronous_commit = off;", ct);
        try
        {
            await ScalarAsync(connection, "SET default_toast_compression = lz4;", ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // A server built without lz4 keeps pglz: slower, the same rows.
        }
        if (tables.Count == 0)
        {
            return new PostgresBulkLoad(connection, synchronousCommit, toastCompression, tables, [], [], null);
        }

        var restored = await RestoreDroppedAsync(connection, ct);
        var prefix = restored > 0 ? $"re-created {restored} indexes and constraints an interrupted load had left dropped; " : "";
        var why = await WhyKeepIndexesAsync(connection, tables, rows, ct);
        if (why is not null)
        {
            return new PostgresBulkLoad(connection, synchronousCommit, toastCompression, tables, [], [], $"{prefix}indexes maintained row by row: {why}");
        }
        var watch = Stopwatch.StartNew();
        List<Dropped> dropped;
        try
        {
            dropped = await DropAsync(connection, tables, ct);
        }
        catch
        {
            await ScalarAsync(connection, $"SELECT pg_advisory_unlock({LoadLockKey});", CancellationToken.None);
            throw;
        }
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{prefix}the database to itself and a run at least as large as {tables[0]}: {string.Join(" and ", tables)} without their unique secondary indexes ({dropped.Count(d => d.Step == 1)}) and foreign keys ({dropped.Count(d => d.Step == 2)}), dropped in {watch.Elapsed.TotalSeconds:0.00} s, re-created after the load");
        return new PostgresBulkLoad(connection, synchronousCommit, toastCompression, tables, tables, dropped, description);
    }

    /// <summary>Why the indexes stay for this load, or null when they can be dropped (the load lock is then held).</summary>
    private static async Task<string?> WhyKeepIndexesAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, long rows, CancellationToken ct)
    {
        var existing = Convert.ToInt64(await ScalarAsync(connection, $"""SELECT count(*) FROM "{tables[0]}";""", ct), CultureInfo.InvariantCulture);
        if (rows < existing)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the run is small for the table ({rows:N0} rows into {existing:N0})");
        }
        // The site's own connections, idle pooled ones of this process included: readers would scan the whole table
        // without its indexes, and writers could break a unique index or a foreign key before they come back.
        NpgsqlConnection.ClearPool(connection);
        var others = Convert.ToInt64(await ScalarAsync(connection,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend';", ct),
            CultureInfo.InvariantCulture);
        if (others > 0)
        {
            return $"{others} other connections to the database";
        }
        if (!(bool)(await ScalarAsync(connection, $"SELECT pg_try_advisory_lock({LoadLockKey});", ct))!)
        {
            return "another load holds the load lock";
        }
        return null;
    }

    /// <summary>
    /// Reads the unique secondary indexes (not those of primary keys or unique constraints, which stay) and the
    /// foreign keys of the tables from the catalog, records them and drops them, in one transaction: either all are
    /// recorded and dropped or nothing is.
    /// </summary>
    /// <remarks>
    /// Which ones, measured with a server-side COPY of 100,000 generated articles (backend processor time): the
    /// foreign keys' per-row checks cost 16 µs an article (12 of them the tag links'), validating them afterwards 2;
    /// the unique slug index, whose keys arrive out of order and are each checked for a duplicate, 3.5 µs, building
    /// it 1. The non-unique indexes cost about as much to maintain (5 µs together: their keys arrive in order, times
    /// newer with later numbers, or are nearly all alike, statuses and NULLs) as to build (6.5 µs, a scan of the
    /// whole table each), and while maintained their work overlaps the client's generating; built at the end it
    /// is the only work left (7.8 s of a 47 s run of 1,000,000 when all were dropped). So they stay.
    /// </remarks>
    private static async Task<List<Dropped>> DropAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ScalarAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS "{DroppedTable}" (
                "Name" text PRIMARY KEY,
                "Step" integer NOT NULL,
                "Create" text NOT NULL,
                "Drop" text NOT NULL);
            """, ct);
        var dropped = new List<Dropped>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT format('%I.%I', x.schemaname, x.indexname), 1, x.indexdef, format('DROP INDEX %I.%I', x.schemaname, x.indexname)
                FROM pg_indexes x
                JOIN pg_index i ON i.indexrelid = format('%I.%I', x.schemaname, x.indexname)::regclass
                WHERE x.schemaname = current_schema() AND x.tablename = ANY(@tables) AND i.indisunique
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                  WHERE c.conindid = format('%I.%I', x.schemaname, x.indexname)::regclass AND c.contype IN ('p', 'u', 'x'))
                UNION ALL
                SELECT format('%I.%I', n.nspname, c.conname), 2,
                       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
                       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace JOIN pg_class t ON t.oid = c.conrelid
                WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(@tables)
                ORDER BY 2, 1;
                """;
            read.Parameters.AddWithValue("tables", tables.ToArray());
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                dropped.Add(new Dropped(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        foreach (var item in dropped)
        {
            await using var record = connection.CreateCommand();
            record.CommandText = $"""INSERT INTO "{DroppedTable}" ("Name", "Step", "Create", "Drop") VALUES (@n, @s, @c, @d);""";
            record.Parameters.AddWithValue("n", item.Name);
            record.Parameters.AddWithValue("s", item.Step);
            record.Parameters.AddWithValue("c", item.Create);
            record.Parameters.AddWithValue("d", item.Drop);
            await record.ExecuteNonQueryAsync(ct);
        }
        // Constraints first: nothing else depends on them.
        foreach (var item in dropped.OrderByDescending(d => d.Step))
        {
            await ScalarAsync(connection, item.Drop + ";", ct);
        }
        await transaction.CommitAsync(ct);
        return dropped;
    }

    /// <summary>
    /// Re-creates what the load dropped once the rows are in: the indexes on all <paramref name="connections"/> at
    /// once (CREATE INDEX takes a SHARE lock, which several builds on one table share; each build is one sort on one
    /// backend, so two connections keep two cores busy), then the foreign keys on the first, one validating query
    /// each (adding one takes a lock that conflicts with the index builds, and with the other's, on Articles).
    /// </summary>
    public override async Task FinishAsync(IReadOnlyList<DbConnection> connections, TextWriter output, CancellationToken ct)
    {
        if (_dropped.Count == 0)
        {
            return;
        }
        var watch = Stopwatch.StartNew();
        var indexes = new ConcurrentQueue<Dropped>(_dropped.Where(d => d.Step == 1));
        var done = new ConcurrentDictionary<string, bool>();
        TimeSpan indexTime;
        try
        {
            // Not cancellable: whatever happens, the site must get its indexes back.
            await Task.WhenAll(connections.Cast<NpgsqlConnection>().Select(c => Task.Run(async () =>
            {
                while (indexes.TryDequeue(out var item))
                {
                    await RecreateAsync(c, item.Name, item.Create, CancellationToken.None);
                    done[item.Name] = true;
                }
            }, CancellationToken.None)));
            indexTime = watch.Elapsed;
            foreach (var item in _dropped.Where(d => d.Step == 2))
            {
                await RecreateAsync(_connection, item.Name, item.Create, CancellationToken.None);
                done[item.Name] = true;
            }
        }
        finally
        {
            // Should one fail, disposing tries the rest again, not those already back.
            _dropped = [.. _dropped.Where(d => !done.ContainsKey(d.Name))];
        }
        await EndDropAsync(_connection);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"indexes re-created in {indexTime.TotalSeconds:0.00} s on {connections.Count} connections, foreign keys added and validated in {(watch.Elapsed - indexTime).TotalSeconds:0.00} s"));
    }

    /// <summary>
    /// Re-creates the indexes and constraints a killed load left dropped. Returns how many. Each in a transaction of
    /// its own that also deletes its record, so a failure or another kill leaves exactly the missing ones recorded.
    /// A load in progress holds the load lock and re-creates them itself: without <paramref name="waitForLoad"/> that
    /// is left to it; with it (the site's start) <paramref name="waiting"/> is called and the call waits for the load
    /// to end, then re-creates what is still recorded (nothing, when the load ended normally).
    /// </summary>
    public static async Task<int> RestoreDroppedAsync(NpgsqlConnection connection, CancellationToken ct, bool waitForLoad = false, Action? waiting = null)
    {
        if (!await HasDroppedTableAsync(connection, ct))
        {
            return 0;
        }
        if (await ScalarAsync(connection, $"SELECT pg_try_advisory_lock({LoadLockKey});", ct) is not true)
        {
            if (!waitForLoad)
            {
                return 0;
            }
            waiting?.Invoke();
            await using (var wait = connection.CreateCommand())
            {
                // As long as the load takes: a million articles is minutes, past Npgsql's 30 s default.
                wait.CommandTimeout = 0;
                wait.CommandText = $"SELECT pg_advisory_lock({LoadLockKey});";
                await wait.ExecuteNonQueryAsync(ct);
            }
            if (!await HasDroppedTableAsync(connection, ct))
            {
                await ScalarAsync(connection, $"SELECT pg_advisory_unlock({LoadLockKey});", CancellationToken.None);
                return 0;
            }
        }
        var restored = 0;
        try
        {
            var items = new List<(string Name, string Create)>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = $"""SELECT "Name", "Create" FROM "{DroppedTable}" ORDER BY "Step", "Name";""";
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    items.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            foreach (var (name, create) in items)
            {
                await RecreateAsync(connection, name, create, ct);
                restored++;
            }
            await ScalarAsync(connection, $"""DROP TABLE IF EXISTS "{DroppedTable}";""", ct);
        }
        finally
        {
            await ScalarAsync(connection, $"SELECT pg_advisory_unlock({LoadLockKey});", CancellationToken.None);
        }
        return restored;
    }

    private static async Task RecreateAsync(NpgsqlConnection connection, string name, string create, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        // An index build on millions of rows takes longer than a command's default 30 s.
        command.CommandTimeout = 0;
        command.CommandText = $"""
            SET LOCAL maintenance_work_mem = '{BuildMemory}';
            {create};
            DELETE FROM "{DroppedTable}" WHERE "Name" = @name;
            """;
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Everything is back: the bookkeeping table goes, and the load lock is released.</summary>
    private static async Task EndDropAsync(NpgsqlConnection connection)
    {
        await ScalarAsync(connection, $"""DROP TABLE IF EXISTS "{DroppedTable}";""", CancellationToken.None);
        await ScalarAsync(connection, $"SELECT pg_advisory_unlock({LoadLockKey});", CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            if (_dropped.Count > 0)
            {
                // A failed or cancelled load: what it dropped comes back now, on this connection. Should that fail
                // too, the records stay for the next generate or start.
                foreach (var item in _dropped.OrderBy(d => d.Step).ToList())
                {
                    await RecreateAsync(_connection, item.Name, item.Create, CancellationToken.None);
                    _dropped.Remove(item);
                }
                await EndDropAsync(_connection);
            }
            await using (var command = _connection.CreateCommand())
            {
                command.CommandText = "SELECT set_config('synchronous_commit', @s, false), set_config('default_toast_compression', @t, false);";
                command.Parameters.AddWithValue("s", _synchronousCommit);
                command.Parameters.AddWithValue("t", _toastCompression);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            foreach (var table in _analyse)
            {
                await ScalarAsync(_connection, $"""ANALYZE "{table}";""", CancellationToken.None);
            }
        }
        await base.DisposeAsync();
    }

    private static async Task<bool> HasDroppedTableAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await ScalarAsync(connection, $"""SELECT to_regclass('"{DroppedTable}"') IS NOT NULL;""", ct) is true;

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}

/// <summary>
/// Ids for rows a bulk load writes itself (COPY cannot ask the identity column for them row by row and say which
/// it got): a block of ids after both the rows and the column's sequence, reserved by moving the sequence past it,
/// so the site's own inserts carry on after them while the load writes.
/// </summary>
public static class PostgresIdentity
{
    /// <summary>
    /// Reserves <paramref name="count"/> ids of <paramref name="table"/> and returns the first. In a transaction of
    /// its own that locks the table against other writers for the moment it takes (readers go on): an insert in
    /// progress has its id from the sequence already and is waited for, one that starts after gets an id after the
    /// block. Ids of a block never used (a cancelled load) are a gap, as after any rolled-back insert.
    /// </summary>
    public static int Reserve(DbConnection connection, string table, int count)
    {
        // The table's name comes from the code, never from input.
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE;
            SELECT GREATEST(
                COALESCE((SELECT MAX("Id") FROM "{table}"), 0),
                COALESCE(pg_sequence_last_value(pg_get_serial_sequence('"{table}"', 'Id')::regclass), 0)) + 1;
            """;
        var first = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (count > 0)
        {
            command.CommandText = $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), @last);""";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "last";
            parameter.Value = (long)first + count - 1;
            command.Parameters.Add(parameter);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return first;
    }
}

/// <summary>
/// One <c>COPY … FROM STDIN (FORMAT BINARY)</c> into a table: rows of column values (string, int, long, bool,
/// DateTime in UTC, Guid or DBNull) in the order of the column list given. Binary COPY sends each value in the
/// server's own format with no per-row statement at all, the fastest way into PostgreSQL.
/// </summary>
public sealed class PostgresRowCopy : IDisposable
{
    private readonly NpgsqlBinaryImporter _importer;
    private bool _completed;

    public PostgresRowCopy(DbConnection connection, string table, IReadOnlyList<string> columns)
    {
        var npgsql = (NpgsqlConnection)connection;
        _importer = npgsql.BeginBinaryImport(
            $"""COPY "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)""");
    }

    public void StartRow() => _importer.StartRow();

    public void Write(object? value)
    {
        switch (value)
        {
            case null or DBNull:
                _importer.WriteNull();
                break;
            case string s:
                _importer.Write(s, NpgsqlDbType.Text);
                break;
            case int i:
                _importer.Write(i, NpgsqlDbType.Integer);
                break;
            case long l:
                _importer.Write(l, NpgsqlDbType.Bigint);
                break;
            case bool b:
                _importer.Write(b, NpgsqlDbType.Boolean);
                break;
            case DateTime d:
                _importer.Write(d, NpgsqlDbType.TimestampTz);
                break;
            case Guid g:
                _importer.Write(g, NpgsqlDbType.Uuid);
                break;
            default:
                throw new ArgumentException($"no COPY format for a value of type {value.GetType().Name}", nameof(value));
        }
    }

    public void Write(int value) => _importer.Write(value, NpgsqlDbType.Integer);

    /// <summary>Ends the COPY: the rows are in (still inside the transaction). Returns how many.</summary>
    public ulong Complete()
    {
        _completed = true;
        return _importer.Complete();
    }

    /// <summary>Without <see cref="Complete"/>, cancels the COPY: none of its rows go in and the transaction is left to roll back.</summary>
    public void Dispose()
    {
        try
        {
            _importer.Dispose();
        }
        catch (Exception) when (!_completed)
        {
            // Cancelling reports the COPY's cancellation as an error; the transaction rolls back anyway.
        }
    }
}
