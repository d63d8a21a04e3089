using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Import;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;
using Serilog.Events;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// What happens before the site serves: migrations, the search index, the sample content on a first start and the
/// front page's snapshot. A step that runs longer than a second says so while it runs, so a slow first start on a
/// busy machine is not a silent one; the start ends with one line saying where the site is and what to do next.
/// </summary>
public static class FirstStart
{
    internal static readonly TimeSpan ProgressAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Applies migrations, imports the sample content into an empty database and prepares the front page; once the
    /// server listens, renders the front page once and logs the closing line.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<NewsDbContext>();
        // Background checks wait until the front page has been rendered once (below, once the server listens).
        var gate = services.GetRequiredService<StartupGate>();
        gate.Hold();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FirstStart));
        logger.LogDebug("Preparing the database {Seconds:0.00} s after the process started ({ProcessorSeconds:0.00} s of processor time)",
            SinceProcessStart().TotalSeconds, ProcessorTime().TotalSeconds);

        var options = services.GetRequiredService<IOptions<PovertyNewsOptions>>().Value;
        // Before anything opens it: SQLite would turn an empty or foreign file into a new, empty site.
        var file = SqliteStartGuards.FileOf(db);
        if (file is not null)
        {
            SqliteStartGuards.CheckFile(file, options.InitDatabase, logger);
            logger.LogDebug("SQLite memory statistics off: {Result} (0 is done; 21, the library was in use before the host)",
                SqliteProcess.TurnOffMemoryStatistics());
        }
        // Several nodes starting on one PostgreSQL database prepare it one after another.
        await using var startLock = await PostgresDatabase.LockStartAsync(db, cancellationToken);
        await PostgresDatabase.RestoreAfterBulkLoadAsync(db, logger, cancellationToken);
        var pending = await PendingMigrationsAsync(db, cancellationToken);
        if (pending > 0)
        {
            await using var migrating = file is null ? null : await SqliteStartGuards.LockForMigrationAsync(db, file, logger, cancellationToken);
            await StepAsync(logger, $"Applying {pending} database migrations", () => MigrateAsync(db, cancellationToken));
        }
        if (file is not null)
        {
            SqliteStartGuards.CreationDone(file);
        }
        await SqliteDatabase.PrepareAsync(db, cancellationToken);
        // Entries written before the audit log had its hash chain are chained once, before anything new is written.
        await StepAsync(logger, "Chaining the audit log", () => AuditChain.SealAsync(db, cancellationToken));
        await StepAsync(logger, "Checking the search index",
            () => services.GetRequiredService<ISearchIndex>().EnsureBuiltAsync(db, cancellationToken));

        await services.PrepareNewsroomAsync(options.Admin);
        var imported = await ImportSampleContentAsync(app, services, db, options, logger, cancellationToken);

        // The first reader would otherwise wait for the snapshot's queries to be compiled and run. On a thread of its
        // own (SQLite's "async" calls run on the caller's), beside the assembling of the pipeline and the server's
        // start on this one; a reader who comes before it is done waits for this build, not for another
        // (PortalCache rebuilds one at a time), and the start's own render waits for it.
        var portal = app.Services.GetRequiredService<PortalCache>();
        var frontPage = Task.Run(() => StepAsync(logger, "Preparing the front page", async () => await portal.GetAsync(cancellationToken)),
            cancellationToken);

        var anyUser = await db.Users.AnyAsync(cancellationToken);
        app.Lifetime.ApplicationStarted.Register(() => _ = WarmUpAndAnnounceAsync(app, gate, frontPage, logger, imported, anyUser));
    }

    /// <summary>
    /// How many migrations are still to apply. On a new PostgreSQL database there is no history table yet, and Npgsql
    /// (which cannot tell whether it exists, so says it does: npgsql/efcore.pg#3407) asks for its rows and lets EF log
    /// the failed query as an error, twice: a first start would begin with two error lines. The table is made first,
    /// with the provider's own <c>CREATE TABLE IF NOT EXISTS</c>, under the start lock.
    /// </summary>
    private static async Task<int> PendingMigrationsAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            var history = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        }
        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
    }

    private const string WarmUpHeader = "X-PovertyNews-Warm-Up";

    // Per process and unguessable, so nobody outside can have a slow request of theirs logged as a warm-up.
    private static readonly string WarmUpToken = Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="http"/> is the start's own request for the front page.</summary>
    internal static bool IsWarmUp(HttpContext http) =>
        http.Request.Headers.TryGetValue(WarmUpHeader, out var token) && token == WarmUpToken;

    /// <summary>
    /// Asks for the front page once before saying the site is ready. The first answer of a process takes a second or
    /// two (the pipeline, Razor and the page's queries are compiled on first use); this way the start pays for it,
    /// says so when it is slow, and the first reader does not.
    /// </summary>
    private static async Task WarmUpAndAnnounceAsync(WebApplication app, StartupGate gate, Task frontPage, ILogger logger,
        ImportReport? imported, bool anyUser)
    {
        try
        {
            try
            {
                await frontPage;
            }
            catch (Exception e)
            {
                // The site serves all the same; the first reader's request builds the snapshot again.
                logger.LogError(e, "Preparing the front page failed; the first reader's request tries again");
            }
            await WarmUpAsync(app, logger);
            Announce(logger, AddressesOf(app), imported, anyUser);
        }
        finally
        {
            // After the closing line, so the start's log ends with it and the checks' lines follow.
            gate.Open();
        }
    }

    private static string[] AddressesOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => !Operations.Metrics.MetricsSetup.IsMetricsAddress(app.Services, a))
            .Select(a => a.TrimEnd('/')).ToArray() ?? [];

    private static async Task WarmUpAsync(WebApplication app, ILogger logger)
    {
        var addresses = AddressesOf(app);
        if (addresses.Length > 0)
        {
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(Reachable(addresses[0])), Timeout = TimeSpan.FromMinutes(1) };
                client.DefaultRequestHeaders.Add(WarmUpHeader, WarmUpToken);
                await StepAsync(logger, "Rendering the front page once", async () =>
                {
                    using var response = await client.GetAsync("/", app.Lifetime.ApplicationStopping);
                });
            }
            catch (Exception e)
            {
                // Only an optimisation: whatever went wrong, the site still serves and the closing line still comes.
                logger.LogDebug(e, "The warm-up request failed; the first reader pays for the first render");
            }
        }
    }

    /// <summary>A wildcard listening address (<c>http://+:80</c>, <c>http://[::]:80</c>) as one this process can call.</summary>
    private static string Reachable(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.ToString();
    }

    /// <summary>
    /// Migrates on one connection with SQLite's foreign-key enforcement off, as SQLite's procedure for schema changes
    /// begins, and checks the references afterwards as it ends. The rebuilding migrations turn enforcement off
    /// themselves, each in a migration of its own; should a start stop between that migration and the rebuild, the
    /// next start's new connection would have enforcement on again and the rebuild would refuse to run. Here it is
    /// off from the start, so the next start completes the rebuild.
    /// </summary>
    internal static async Task MigrateAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = 0;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            var broken = await db.Database.SqlQueryRaw<string>("""SELECT DISTINCT "table" AS "Value" FROM pragma_foreign_key_check""")
                .ToListAsync(cancellationToken);
            if (broken.Count > 0)
            {
                throw new InvalidOperationException(
                    $"After the migrations, rows of {string.Join(", ", broken)} refer to rows that do not exist (PRAGMA foreign_key_check)");
            }
        }
        finally
        {
            // Pooled connections outlive this one use.
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = 1;", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<ImportReport?> ImportSampleContentAsync(WebApplication app, IServiceProvider services,
        NewsDbContext db, PovertyNewsOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.ImportContentOnFirstStart || await db.Articles.AnyAsync(cancellationToken))
        {
            return null;
        }
        // Channels without a single article ever saved: a first start stopped in its import by a version that
        // committed the channels on their own. It had not finished, so it is done again (existing channels are kept).
        var interrupted = await db.Channels.AnyAsync(cancellationToken);
        if (interrupted && await SqliteDatabase.EverHeldRowsAsync(db, "Articles", cancellationToken))
        {
            return null;
        }
        var folder = DataFolder.ResolveContentPath(options.ContentPath, app.Environment);
        if (folder is null)
        {
            logger.LogWarning("The database is empty and no content folder was found; set {Setting} to import sample content",
                "PovertyNews:ContentPath");
            return null;
        }
        if (interrupted)
        {
            logger.LogWarning("The database has channels but no article was ever saved: a first start was stopped during its import; importing the sample content again");
        }
        var report = await StepAsync<ImportReport?>(logger, $"Importing the sample content from {folder}", async () =>
        {
            // All or nothing: a start stopped during the import (killed, disk full, a bug) leaves the database without
            // any of it, index rows included, and the next start imports again.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Asked again inside the transaction: another start (another node, or a second process on the same file)
            // may have imported since the question above; SQLite's BEGIN IMMEDIATE and PostgreSQL's start lock queue them.
            if (await db.Articles.AnyAsync(cancellationToken))
            {
                return null;
            }
            var imported = await services.GetRequiredService<ContentImporter>().ImportAsync(folder, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return imported;
        });
        if (report is null)
        {
            logger.LogInformation("Another start imported the sample content meanwhile");
            return null;
        }
        foreach (var rejection in report.Rejected)
        {
            logger.LogWarning("Sample content {File} was not imported: {Reason}", rejection.Path, rejection.Reason);
        }
        return report;
    }

    /// <summary>
    /// Runs <paramref name="work"/>; if it is still running after <see cref="ProgressAfter"/>, says what it is doing
    /// and, at the end, how long it took. The announcement comes from a timer because SQLite's "async" calls run
    /// synchronously on the calling thread.
    /// </summary>
    internal static async Task<T> StepAsync<T>(ILogger logger, string step, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var processor = ProcessorTime();
        var gate = new object();
        var (announced, finished) = (false, false);
        await using var timer = new Timer(_ =>
        {
            lock (gate)
            {
                if (!finished)
                {
                    announced = true;
                    logger.LogInformation("{Step}…", step);
                }
            }
        }, null, ProgressAfter, Timeout.InfiniteTimeSpan);
        try
        {
            return await work();
        }
        finally
        {
            lock (gate)
            {
                finished = true;
                if (announced)
                {
                    logger.LogInformation("{Step}: done in {Seconds:0.0} s ({ProcessorSeconds:0.0} s of processor time)",
                        step, clock.Elapsed.TotalSeconds, (ProcessorTime() - processor).TotalSeconds);
                }
                else
                {
                    logger.LogDebug("{Step}: done in {Seconds:0.000} s ({ProcessorSeconds:0.000} s of processor time)",
                        step, clock.Elapsed.TotalSeconds, (ProcessorTime() - processor).TotalSeconds);
                }
            }
        }
    }

    internal static Task StepAsync(ILogger logger, string step, Func<Task> work) =>
        StepAsync(logger, step, async () => { await work(); return true; });

    private static void Announce(ILogger logger, string[] addresses, ImportReport? imported, bool anyUser)
    {
        var site = addresses.FirstOrDefault() ?? "";
        var content = imported is null ? "" : $"; {imported.Added.Count} sample articles were imported from content/";
        var next = anyUser
            ? $"; the newsroom signs in at {site}/admin/signin"
            : "; nobody can sign in yet: create the first administrator with "
              + "`dotnet run --project src/PovertyNews.Web -- create-user --email you@example.com --role Administrator` "
              + $"(it asks for the password), then sign in at {site}/admin/signin";
        logger.LogInformation(
            "PovertyNews is ready at {Addresses} ({Seconds:0.0} s after the process started, {ProcessorSeconds:0.0} s of processor time){Content}{Next}",
            addresses.Length == 0 ? "(no address)" : string.Join(", ", addresses), SinceProcessStart().TotalSeconds,
            ProcessorTime().TotalSeconds, content, next);
    }

    /// <summary>
    /// The data-protection notice that a new key "may be persisted to storage in unencrypted form", given when the
    /// first key of a machine is made. The key file is written readable by its owner only (mode 600), as the database
    /// next to it holds the password hashes; Linux offers no store to encrypt it with that the same user could not
    /// read, so on a first start the notice only alarms. A deployment that has one configures an encryptor.
    /// </summary>
    internal static bool IsUnencryptedKeyNotice(LogEvent e) =>
        e.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager" }
        && e.Properties.TryGetValue("EventId", out var id)
        && id is StructureValue { Properties: var parts } && parts.Any(p => p is { Name: "Id", Value: ScalarValue { Value: 35 } });

    private static TimeSpan SinceProcessStart() => DateTime.Now - Process.GetCurrentProcess().StartTime;

    private static TimeSpan ProcessorTime() => Process.GetCurrentProcess().TotalProcessorTime;
}
