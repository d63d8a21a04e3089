using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>Everything that knows the database is PostgreSQL: the counterpart of <see cref="Sqlite.SqliteDatabase"/>.</summary>
public static class PostgresDatabase
{
    /// <summary>The configured connection string, checked; a missing one stops the start with what to set.</summary>
    public static string ResolveConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "PovertyNews:Database:Provider is PostgreSql but ConnectionStrings:News is not set, e.g. " +
                "ConnectionStrings__News=\"Host=127.0.0.1;Port=5432;Database=povertynews;Username=povertynews;Password=…\".");
        }
        var builder = new NpgsqlConnectionStringBuilder(configured);
        // Named in pg_stat_activity, so a database administrator can tell the site's connections from others.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "PovertyNews";
        }
        return builder.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsAssembly(typeof(PostgresDatabase).Assembly.FullName)
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));

    /// <summary>The session advisory lock a start holds while it prepares the database ("start" in ASCII).</summary>
    public const long StartLockKey = 0x7374617274;

    /// <summary>
    /// Queues the starts of several nodes on one database through the start-up's preparation (migrations, roles,
    /// the first administrator, the sample content): each would otherwise find, say, no roles and create them, and all
    /// but one would fail on the unique names. A session lock on a connection held open for the whole preparation;
    /// the server releases it if the process dies. Null on other databases (SQLite queues writers itself).
    /// </summary>
    public static async Task<IAsyncDisposable?> LockStartAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return null;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [StartLockKey], cancellationToken);
        return new StartLock(db);
    }

    /// <summary>
    /// Re-creates the indexes and foreign keys a killed generate left dropped (<see cref="PostgresBulkLoad"/>), before
    /// the migrations, which expect the schema they left. Under the start lock. While a generate is still loading
    /// without them, the start waits for it to end, as it would on SQLite's lock: readers would otherwise scan the
    /// whole table, and the site's writes could break a unique slug the load re-creates. A definition that cannot be re-created (say a duplicate slug written meanwhile) is
    /// logged and kept for the next start: the site works without an index, slower. Nothing on other databases.
    /// </summary>
    public static async Task RestoreAfterBulkLoadAsync(NewsDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is not NpgsqlConnection connection)
        {
            return;
        }
        // At start the connection is open already, holding the start lock: it must stay open.
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        try
        {
            var restored = await PostgresBulkLoad.RestoreDroppedAsync(connection, cancellationToken, waitForLoad: true,
                waiting: () => logger.LogWarning("A generate run is loading articles without their indexes ({Table}); the start waits for it to end",
                    PostgresBulkLoad.DroppedTable));
            if (restored > 0)
            {
                logger.LogWarning("Re-created {Count} indexes and foreign keys an interrupted generate had dropped", restored);
            }
        }
        catch (PostgresException e)
        {
            logger.LogError(e, "Could not re-create the indexes and foreign keys an interrupted generate had dropped (listed in {Table}); the next start tries again",
                PostgresBulkLoad.DroppedTable);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private sealed class StartLock(NewsDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Session locks outlive a pooled connection's return to the pool: released by hand.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [StartLockKey], CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}
