using System.Data.Common;
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
/// </summary>
public sealed class PostgresBulkLoad : BulkLoad
{
    private readonly NpgsqlConnection _connection;
    private readonly string _synchronousCommit;
    private readonly string _toastCompression;
    private readonly IReadOnlyList<string> _tables;

    private PostgresBulkLoad(NpgsqlConnection connection, string synchronousCommit, string toastCompression, IReadOnlyList<string> tables)
    {
        _connection = connection;
        _synchronousCommit = synchronousCommit;
        _toastCompression = toastCompression;
        _tables = tables;
    }

    /// <summary>Starts a bulk load into <paramref name="tables"/> (analysed when it ends) on an open connection.</summary>
    public static async Task<PostgresBulkLoad> BeginAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
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
        return new PostgresBulkLoad(connection, synchronousCommit, toastCompression, tables);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            await using (var command = _connection.CreateCommand())
            {
                command.CommandText = "SELECT set_config('synchronous_commit', @s, false), set_config('default_toast_compression', @t, false);";
                command.Parameters.AddWithValue("s", _synchronousCommit);
                command.Parameters.AddWithValue("t", _toastCompression);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            foreach (var table in _tables)
            {
                await ScalarAsync(_connection, $"""ANALYZE "{table}";""", CancellationToken.None);
            }
        }
        await base.DisposeAsync();
    }

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
