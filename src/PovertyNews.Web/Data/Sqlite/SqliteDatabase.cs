using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// Everything that knows the database is SQLite lives here, so a PostgreSQL provider can take its place
/// without touching pages or services.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>
    /// Resolves a relative Data Source against the data folder, so the database lands in the same place
    /// whatever the working directory of <c>dotnet run</c> is.
    /// </summary>
    public static string ResolveConnectionString(string? configured, string dataPath)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=news.db" : configured);
        var source = builder.DataSource;
        var inMemory = source == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (!inMemory && !Path.IsPathRooted(source))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(dataPath, source));
        }
        if (!inMemory)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }

    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteDatabase).Assembly.FullName)
                // A list of ids goes to SQLite as one JSON parameter (IN json_each). Expanded into one parameter per id,
                // the SQL differs with the list, so EF generated it again for every execution (a third of an
                // uncached article page's processor time went to 延伸阅读's tag lists).
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(ConnectionSetup);

    /// <summary>
    /// Write-ahead logging lets readers go on while an editor saves; it is a property of the database file,
    /// so setting it once at start is enough.
    /// </summary>
    public static async Task PrepareAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection { DataSource: var source } && source != ":memory:" && source.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// Trades durability for speed on <paramref name="connection"/> (open) until the result is disposed, for a bulk
    /// load such as the generate command. See <see cref="SqliteBulkLoad"/>; a no-op on other databases.
    /// </summary>
    /// <param name="tables">Tables the rows go into, the main one first.</param>
    /// <param name="rows">Rows about to go into the main table: a run at least as large as the table may drop the
    /// tables' secondary indexes and re-create them at the end.</param>
    public static async Task<BulkLoad> BeginBulkLoadAsync(DbConnection connection, IReadOnlyList<string> tables, long rows,
        CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite ? await SqliteBulkLoad.BeginAsync(sqlite, tables, rows, cancellationToken) : new BulkLoad();

    /// <summary>
    /// Column value for a Guid in a hand-written command: EF Core stores Guids in SQLite as upper-case text, and an
    /// optimistic concurrency check compares that text, so a raw insert has to write exactly the same.
    /// </summary>
    public static object GuidValue(DbConnection connection, Guid value) =>
        connection is SqliteConnection ? value.ToString().ToUpperInvariant() : value;

    /// <summary>
    /// Column value for a DateTime in a hand-written command, as EF Core writes it. Microsoft.Data.Sqlite would
    /// format the same text itself; doing it here lets a bulk load do it on another thread.
    /// </summary>
    public static object DateTimeValue(DbConnection connection, DateTime value) =>
        connection is SqliteConnection ? value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture) : value;

    /// <summary>
    /// SQL that stores <paramref name="parameter"/>, bound as UTF-8 bytes, as text; null where the database needs
    /// the text as a string. SQLite reads a BLOB cast to TEXT as text in the database's encoding (UTF-8), so a bulk
    /// load can encode long texts on the thread that makes them instead of on the one that writes them: the
    /// provider's conversion of each string is a sixth of the writing thread's work.
    /// </summary>
    public static string? Utf8TextSql(DbConnection connection, string parameter) =>
        connection is SqliteConnection ? $"CAST({parameter} AS TEXT)" : null;

    /// <summary>
    /// A query for the first free id of <paramref name="table"/>'s AUTOINCREMENT key, for a bulk load that assigns
    /// ids itself (inside a write transaction, so nobody else can take them). SQLite remembers the highest id ever
    /// used in sqlite_sequence; honouring it keeps the ids of deleted rows from coming back, as AUTOINCREMENT promises.
    /// </summary>
    public static string NextIdQuery(DbConnection connection, string table) => connection is SqliteConnection
        ? $"""SELECT MAX(COALESCE((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = '{table}'), 0), COALESCE((SELECT MAX("Id") FROM "{table}"), 0)) + 1;"""
        : $"""SELECT COALESCE(MAX("Id"), 0) + 1 FROM "{table}";""";

    /// <summary>
    /// Whether <paramref name="table"/> (with an AUTOINCREMENT key) ever held a committed row, even if all were deleted
    /// since: SQLite remembers the highest id handed out in sqlite_sequence, in the same transaction as the rows.
    /// Other databases answer whether it holds rows now.
    /// </summary>
    public static async Task<bool> EverHeldRowsAsync(NewsDbContext db, string table, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            // The table's name comes from the code, never from input.
            var any = $"""SELECT CASE WHEN EXISTS (SELECT 1 FROM "{table}") THEN 1 ELSE 0 END AS "Value" """;
            return await db.Database.SqlQueryRaw<int>(any).SingleAsync(cancellationToken) == 1;
        }
        return await db.Database.SqlQueryRaw<long>(
                """SELECT COALESCE((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = {0}), 0) AS "Value" """, table)
            .SingleAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Size in bytes of the database file (after moving the write-ahead log into it), or null for a database that
    /// is not a file.
    /// </summary>
    public static async Task<long?> FileSizeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is not SqliteConnection { DataSource: { Length: > 0 } path } || path == ":memory:" || !File.Exists(path))
        {
            return null;
        }
        await ScalarAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        var wal = new FileInfo(path + "-wal");
        return new FileInfo(path).Length + (wal.Exists ? wal.Length : 0);
    }

    internal static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
