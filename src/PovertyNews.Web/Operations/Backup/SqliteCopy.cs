using System.Globalization;
using Microsoft.Data.Sqlite;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>The SQLite side of a backup: a consistent copy of a live database, and what a copy holds.</summary>
internal static class SqliteCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> into the new file <paramref name="target"/> with SQLite's online backup API in
    /// one step: the copy is one read transaction, so it is the database as of one moment, with everything committed
    /// before it (in the main file or still in the write-ahead log). Under WAL the site's writers go on meanwhile. The
    /// copy is switched to a rollback journal, so it is one self-contained file; the app sets WAL again when it starts.
    /// </summary>
    public static async Task CopyAsync(string source, string target, CancellationToken ct)
    {
        if (!File.Exists(source))
        {
            throw new BackupException($"there is no database at {source}");
        }
        // ReadWrite, not ReadWriteCreate: a wrong path must not create an empty database. Nothing is written.
        await using var from = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30,
        }.ToString());
        await using var to = Open(target);
        await from.OpenAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                break;
            }
            // A writer holding an exclusive lock (a checkpoint that resets the log, a migration) for a moment.
            catch (SqliteException e) when (SqliteErrors.IsBusy(e) && attempt < 100)
            {
                await Task.Delay(100, ct);
            }
        }
        await ExecuteAsync(to, "PRAGMA journal_mode=DELETE;", ct);
    }

    /// <summary>Opens a copy (never a live database): unpooled, so the file can be moved or deleted once closed.</summary>
    public static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static async Task<BackupCounts> CountAsync(SqliteConnection copy, BackupTables tables, CancellationToken ct) => new(
        await CountAsync(copy, tables.Articles, ct),
        await CountAsync(copy, tables.Users, ct),
        await CountAsync(copy, tables.Revisions, ct),
        await CountAsync(copy, tables.Media, ct),
        await CountAsync(copy, SqliteSearchIndex.KeyTable, ct));

    /// <summary>The last migration applied, which names the schema.</summary>
    public static async Task<string?> SchemaAsync(SqliteConnection copy, CancellationToken ct) =>
        await ScalarAsync(copy, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" DESC LIMIT 1;""", ct) as string;

    /// <summary>Problems <c>PRAGMA integrity_check</c> reports (the first 20), none when the file is sound.</summary>
    public static async Task<IReadOnlyList<string>> IntegrityProblemsAsync(SqliteConnection copy, CancellationToken ct)
    {
        var lines = await SqliteInterrupt.ReadLinesAsync(copy, "PRAGMA integrity_check(20);", ct);
        return lines is ["ok"] ? [] : lines;
    }

    private static async Task<long> CountAsync(SqliteConnection copy, string table, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(copy, $"""SELECT COUNT(*) FROM "{table}";""", ct), CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A backup or restore that cannot go on; the message says why, in words for an operator.</summary>
public sealed class BackupException(string message) : Exception(message);
