using Npgsql;

namespace PovertyNews.Testing;

/// <summary>
/// The rows of every table in a PostgreSQL database's public schema, copied into a schema of their own, and put back on
/// <see cref="RestoreAsync"/>: the PostgreSQL counterpart of the SQLite tests' in-memory backup. Sequences go back to
/// their values too, so ids come out the same after every reset. Triggers and foreign keys are not fired while the rows
/// go back (session_replication_role = replica; the cluster's superuser), since the copy is consistent as a whole.
/// </summary>
public sealed class PostgresSnapshot
{
    private const string Schema = "test_snapshot";
    private readonly string _connectionString;
    private string _restore = "";

    private PostgresSnapshot(string connectionString) => _connectionString = connectionString;

    public static async Task<PostgresSnapshot> TakeAsync(string connectionString)
    {
        var snapshot = new PostgresSnapshot(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await snapshot.TakeAsync();
        return snapshot;
    }

    private async Task TakeAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var tables = new List<(string Table, string Columns)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.table_name, string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position)
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
              AND c.table_name <> '__EFMigrationsHistory'
            GROUP BY c.table_name ORDER BY c.table_name
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        var sequences = new List<(string Name, long? Value)>();
        await using (var command = new NpgsqlCommand("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sequences.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
            }
        }
        var take = new System.Text.StringBuilder($"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema};");
        foreach (var (table, columns) in tables)
        {
            take.Append($"""CREATE TABLE {Schema}."{table}" AS SELECT {columns} FROM public."{table}";""");
        }
        await using (var command = new NpgsqlCommand(take.ToString(), connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var restore = new System.Text.StringBuilder("SET session_replication_role = replica;");
        if (tables.Count > 0)
        {
            restore.Append("TRUNCATE ").AppendJoin(", ", tables.Select(t => $"""public."{t.Table}" """)).Append(';');
        }
        foreach (var (table, columns) in tables)
        {
            restore.Append($"""INSERT INTO public."{table}" ({columns}) OVERRIDING SYSTEM VALUE SELECT {columns} FROM {Schema}."{table}";""");
        }
        foreach (var (name, value) in sequences)
        {
            restore.Append(value is { } v
                ? $"SELECT setval('public.\"{name}\"', {v}, true);"
                : $"SELECT setval('public.\"{name}\"', 1, false);");
        }
        restore.Append("SET session_replication_role = DEFAULT;");
        _restore = restore.ToString();
    }

    /// <summary>Puts every table back as it was when the snapshot was taken.</summary>
    /// <remarks>
    /// TRUNCATE locks the tables one after another; a write the app's background work began in the meantime (a view
    /// count flush, a job's pass) can hold one of them while it waits for another, and PostgreSQL then ends one of
    /// the two as a deadlock. The restore's transaction is rolled back whole, so it is simply run again.
    /// </remarks>
    public async Task RestoreAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var command = new NpgsqlCommand(_restore, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }
}
