using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>The start stopped on purpose; the message says what was found and what to do.</summary>
public sealed class StartRefusedException(string message) : Exception(message);

/// <summary>
/// Checks that keep a start from silently going wrong on SQLite: a database file that is empty or not a database
/// (which SQLite would happily turn into a new, empty site), and the row EF Core's migrations leave in
/// <c>__EFMigrationsLock</c> when a start is killed while migrating (every later start would wait for it forever).
/// </summary>
public static class SqliteStartGuards
{
    private static readonly byte[] Header = "SQLite format 3\0"u8.ToArray();

    /// <summary>How long a start waits for another process that is migrating the same file.</summary>
    public static readonly TimeSpan MigrationWait = TimeSpan.FromMinutes(1);

    /// <summary>The database file, or null for an in-memory database or another provider.</summary>
    public static string? FileOf(NewsDbContext db)
    {
        if (!db.Database.IsSqlite() || db.Database.GetConnectionString() is not { } connectionString)
        {
            return null;
        }
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.DataSource is ":memory:" or "" || builder.Mode == SqliteOpenMode.Memory
            || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? null : builder.DataSource;
    }

    /// <summary>
    /// Refuses a file that exists but is empty or lacks SQLite's header. With <paramref name="init"/> the file is moved
    /// aside (never deleted) and the start goes on to create a new database. A start that creates the file leaves
    /// <c>news.db.creating</c> beside it until the migrations are done (<see cref="CreationDone"/>): an empty file
    /// with that mark was made by a first start that was killed before SQLite wrote its header, not damaged by
    /// anyone, so it is moved aside the same way without asking for <c>--init</c>.
    /// </summary>
    public static void CheckFile(string path, bool init, ILogger logger)
    {
        var file = new FileInfo(path);
        var creating = CreatingMark(path);
        if (!file.Exists)
        {
            File.WriteAllText(creating, $"created by process {Environment.ProcessId} at {DateTime.UtcNow:O}\n");
            return;
        }
        string? problem = null;
        if (file.Length == 0)
        {
            problem = "is empty (0 bytes)";
        }
        else
        {
            var start = new byte[Header.Length];
            using var stream = file.OpenRead();
            if (stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) < start.Length || !start.AsSpan().SequenceEqual(Header))
            {
                problem = "is not an SQLite database (its first bytes are not \"SQLite format 3\")";
            }
        }
        if (problem is null)
        {
            return;
        }
        var ours = File.Exists(creating);
        if (!init && !ours)
        {
            throw new StartRefusedException(
                $"The database file {path} {problem}. The site does not start on it, so that it is not replaced by a new, empty site. " +
                "Restore a backup to that path, or start once with --init to move the file aside and create a new database.");
        }
        var aside = $"{path}.{(file.Length == 0 ? "empty" : "unreadable")}-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }
        if (ours)
        {
            logger.LogWarning("The database file {Path} {Problem}: a first start was stopped while creating it; moved it to {Aside} and a new database is created",
                path, problem, aside);
        }
        else
        {
            logger.LogWarning("The database file {Path} {Problem}; --init moved it to {Aside} and a new database is created", path, problem, aside);
        }
    }

    private static string CreatingMark(string path) => path + ".creating";

    /// <summary>The migrations are done, so the file has its header and tables: from now on an empty file is damage.</summary>
    public static void CreationDone(string path) => File.Delete(CreatingMark(path));

    /// <summary>
    /// Holds an operating-system lock on <c>news.db.migrating</c> for the duration of the migrations. The system
    /// releases it when a process dies, however it dies; so whoever holds it knows no other process is migrating,
    /// and a row still in <c>__EFMigrationsLock</c> was left by a start that was killed: it is removed, with a warning.
    /// Another process that is migrating makes this start wait up to <see cref="MigrationWait"/>, then stop with a message.
    /// </summary>
    public static async Task<IAsyncDisposable> LockForMigrationAsync(NewsDbContext db, string path, ILogger logger, CancellationToken ct)
    {
        var lockPath = path + ".migrating";
        var deadline = DateTime.UtcNow + MigrationWait;
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
            catch (IOException)
            {
                throw new StartRefusedException(
                    $"Another process has been migrating {path} for over {MigrationWait.TotalSeconds:0} seconds (it holds {lockPath}). " +
                    "Wait for it to finish, or stop it, then start again.");
            }
        }
        // Asked of sqlite_master first: a failed query on a missing table would be logged as an error.
        var hasLockTable = await db.Database.SqlQueryRaw<int>(
                "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'")
            .SingleAsync(ct) > 0;
        if (hasLockTable)
        {
            var stale = await db.Database.SqlQueryRaw<string>(
                    "SELECT CAST(\"Timestamp\" AS TEXT) AS \"Value\" FROM \"__EFMigrationsLock\"")
                .ToListAsync(ct);
            if (stale.Count > 0)
            {
                await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", ct);
                logger.LogWarning("Removed the migrations lock left in {Path} by a start that was stopped while migrating (taken at {Taken})",
                    path, string.Join(", ", stale));
            }
        }
        return held;
    }
}
