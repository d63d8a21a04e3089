using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Operations.Health;

/// <summary>What the last <c>PRAGMA quick_check</c> found.</summary>
/// <param name="Passed">True: no damage; false: damage found; null: the check could not run (the reason is in <paramref name="Problems"/>).</param>
/// <param name="Problems">Up to <see cref="DatabaseIntegrity.ProblemsShown"/> lines of SQLite's report, or why the check could not run.</param>
public sealed record IntegrityCheckResult(bool? Passed, IReadOnlyList<string> Problems, DateTimeOffset StartedAt, TimeSpan Duration)
{
    public DateTimeOffset FinishedAt => StartedAt + Duration;
}

/// <summary>
/// Runs SQLite's <c>PRAGMA quick_check</c> over the news database and keeps the last result, for the readiness check
/// and the admin status page. quick_check reads every page of the file and checks the structure of every table and
/// index (it skips only the cross-check of index entries against table rows that <c>integrity_check</c> adds), so
/// on a large database it takes a while: <see cref="IntegrityCheckService"/> runs it in the background, never for a
/// request.
/// </summary>
public sealed class DatabaseIntegrity(IServiceScopeFactory scopes, TimeProvider time, ILogger<DatabaseIntegrity> logger)
{
    public const int ProblemsShown = 10;


    /// <summary>A request's report of damage starts a check to confirm it, but not more often than this.</summary>
    public static readonly TimeSpan ConfirmationSpacing = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IntegrityCheckResult? _last;
    private long _runningSince;
    private long _damageSeenTicks;
    private long _damageReports;
    private long _reportsBeforeLast;
    private long _lastConfirmationTicks;
    private int _confirming;

    /// <summary>The last finished check; null until the first one ends.</summary>
    public IntegrityCheckResult? Last => _last;

    /// <summary>When the check now running started; null when none runs.</summary>
    public DateTimeOffset? RunningSince => Interlocked.Read(ref _runningSince) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>When SQLite last reported a damaged database while serving a request; null if it never did.</summary>
    public DateTimeOffset? DamageSeenAt =>
        Interlocked.Read(ref _damageSeenTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether a request reported damage that no check has looked at since (one that started after it).</summary>
    public bool DamageReportUnchecked => Interlocked.Read(ref _damageReports) > Interlocked.Read(ref _reportsBeforeLast);

    /// <summary>
    /// SQLite answered a request with "database disk image is malformed" (or "not a database"): readiness fails at
    /// once, without waiting hours for the next scheduled check, and a check starts in the background to confirm
    /// it. A check that started after this report and passes clears it (a false alarm).
    /// </summary>
    public void ReportDamageSeen()
    {
        var now = time.GetUtcNow();
        Interlocked.Exchange(ref _damageSeenTicks, now.UtcTicks);
        Interlocked.Increment(ref _damageReports);
        var lastConfirmation = Interlocked.Read(ref _lastConfirmationTicks);
        var spaced = lastConfirmation == 0 || Math.Abs(now.UtcTicks - lastConfirmation) >= ConfirmationSpacing.Ticks;
        if (spaced && Interlocked.CompareExchange(ref _confirming, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _lastConfirmationTicks, now.UtcTicks);
            logger.LogError("The database reported damage while serving a request; checking it now");
            _ = OwnThread.RunAsync(async () =>
            {
                try
                {
                    await RunAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "The database integrity check started by a damage report failed");
                }
                finally
                {
                    Volatile.Write(ref _confirming, 0);
                }
            });
        }
    }

    /// <summary>
    /// False where no check applies: PostgreSQL without the amcheck extension (SQLite's quick_check has no
    /// counterpart there; the server checks pages as it reads them, with data checksums if the cluster has them).
    /// </summary>
    public bool Applies { get; private set; } = true;

    /// <summary>What the check is called in messages: SQLite's quick_check, or amcheck's bt_index_check on PostgreSQL.</summary>
    public string CheckName { get; private set; } = "quick_check";

    /// <summary>Why no check runs, when <see cref="Applies"/> is false.</summary>
    public string NotApplicable { get; private set; } = "";

    /// <summary>
    /// Runs a check now and returns its result. One runs at a time: a call while one runs waits for it, then runs
    /// its own, since the running one may have read the file before whatever made the caller ask.
    /// </summary>
    public async Task<IntegrityCheckResult?> RunAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await RunOnceAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IntegrityCheckResult?> RunOnceAsync(CancellationToken ct)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            if (db.Database.IsNpgsql())
            {
                return await RunPostgresAsync(db.Database.GetConnectionString()!, ct);
            }
            if (!db.Database.IsSqlite())
            {
                Applies = false;
                NotApplicable = "No integrity check for this database.";
                return null;
            }
            // Its own connection, outside the pool: the check's pages must come from the file, not from a pooled
            // connection's cache, and a six-hourly connection should not stay open afterwards.
            connectionString = new SqliteConnectionStringBuilder(db.Database.GetConnectionString())
            {
                Pooling = false,
            }.ToString();
        }

        var started = time.GetUtcNow();
        var reportsBefore = Interlocked.Read(ref _damageReports);
        Interlocked.Exchange(ref _runningSince, started.UtcTicks);
        var clock = time.GetTimestamp();
        IntegrityCheckResult result;
        try
        {
            List<string> lines;
            await using (var connection = new SqliteConnection(connectionString))
            {
                await connection.OpenAsync(ct);
                // As long as the file takes to read, unless the host stops: then the check is interrupted, not waited for.
                lines = await SqliteInterrupt.ReadLinesAsync(connection, $"PRAGMA quick_check({ProblemsShown})", ct);
            }
            var passed = lines is ["ok"];
            result = new IntegrityCheckResult(passed, passed ? [] : lines, started, time.GetElapsedTime(clock));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogInformation("The database integrity check was stopped after {Seconds:0.0} s: the site is stopping",
                time.GetElapsedTime(clock).TotalSeconds);
            throw;
        }
        catch (SqliteException e) when (SqliteErrors.IsDamaged(e))
        {
            // Damaged badly enough that SQLite stopped reading: that is a verdict, not a failure to check.
            result = new IntegrityCheckResult(false, [e.Message], started, time.GetElapsedTime(clock));
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            logger.LogWarning(e, "The database integrity check could not run");
            result = new IntegrityCheckResult(null, [$"The check could not run: {e.Message}"], started, time.GetElapsedTime(clock));
        }
        finally
        {
            Interlocked.Exchange(ref _runningSince, 0);
        }

        return Finish(result, reportsBefore);
    }

    private IntegrityCheckResult Finish(IntegrityCheckResult result, long reportsBefore)
    {
        _last = result;
        if (result.Passed is not null)
        {
            Interlocked.Exchange(ref _reportsBeforeLast, reportsBefore);
        }
        if (result.Passed == false)
        {
            logger.LogError("Database integrity check found damage: {Problems}", result.Problems);
        }
        else if (result.Passed == true)
        {
            logger.LogInformation("Database integrity check passed in {Seconds:0.00} s", result.Duration.TotalSeconds);
        }
        return result;
    }

    /// <summary>
    /// PostgreSQL: amcheck's <c>bt_index_check</c> over every B-tree index of the site's tables, when the extension is
    /// installed in the database (<c>CREATE EXTENSION amcheck</c>, contrib, as a superuser); it reads each index
    /// whole under the lock a reader takes. Without it there is nothing to run, and the check says it does not apply.
    /// </summary>
    private async Task<IntegrityCheckResult?> RunPostgresAsync(string connectionString, CancellationToken ct)
    {
        CheckName = "amcheck bt_index_check";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var installed = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')", connection))
        {
            if (!(bool)(await installed.ExecuteScalarAsync(ct))!)
            {
                Applies = false;
                NotApplicable = "PostgreSQL: no quick_check counterpart; the amcheck extension is not installed in this database, so indexes are not checked.";
                return null;
            }
        }
        Applies = true;
        var started = time.GetUtcNow();
        var reportsBefore = Interlocked.Read(ref _damageReports);
        Interlocked.Exchange(ref _runningSince, started.UtcTicks);
        var clock = time.GetTimestamp();
        IntegrityCheckResult result;
        try
        {
            var indexes = new List<(uint Oid, string Name)>();
            await using (var list = new NpgsqlCommand("""
                SELECT c.oid, c.relname FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready AND c.relpersistence <> 't'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                ORDER BY c.relname
                """, connection))
            await using (var reader = await list.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    indexes.Add((reader.GetFieldValue<uint>(0), reader.GetString(1)));
                }
            }
            var problems = new List<string>();
            foreach (var (oid, name) in indexes)
            {
                await using var check = new NpgsqlCommand("SELECT bt_index_check(@index)", connection) { CommandTimeout = 0 };
                check.Parameters.AddWithValue("index", NpgsqlTypes.NpgsqlDbType.Oid, oid);
                try
                {
                    await check.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException e) when (e.SqlState is "XX001" or "XX002")
                {
                    problems.Add($"{name}: {e.MessageText}");
                    if (problems.Count == ProblemsShown)
                    {
                        break;
                    }
                }
            }
            result = new IntegrityCheckResult(problems.Count == 0, problems, started, time.GetElapsedTime(clock));
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            logger.LogWarning(e, "The database integrity check could not run");
            result = new IntegrityCheckResult(null, [$"The check could not run: {e.Message}"], started, time.GetElapsedTime(clock));
        }
        finally
        {
            Interlocked.Exchange(ref _runningSince, 0);
        }
        return Finish(result, reportsBefore);
    }
}

/// <summary>Runs <see cref="DatabaseIntegrity"/> once the start is over (<see cref="StartupGate"/>) and then every <see cref="HealthOptions.IntegrityCheckInterval"/>.</summary>
public sealed class IntegrityCheckService(DatabaseIntegrity integrity, TimeProvider time, IOptions<HealthOptions> options,
    StartupGate startup) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start's path: the host goes on starting, and serves its first pages, before the file is read.
        await Task.Yield();
        try
        {
            await startup.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.IntegrityCheckInterval, time);
            do
            {
                await OwnThread.RunAsync(() => integrity.RunAsync(stoppingToken));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
