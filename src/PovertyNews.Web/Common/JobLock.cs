using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Common;

/// <summary>
/// Runs a background job's pass on one node of the cluster at a time. On PostgreSQL a pass takes a session advisory
/// lock (<c>pg_try_advisory_lock</c>) named after the job, on a connection of its own held for the pass: a node that
/// finds it taken skips that pass (the node holding it does the work), and the server releases it if the holder dies.
/// On SQLite there is one node, and every pass runs.
/// </summary>
public sealed class JobLock(IServiceScopeFactory scopes, ILogger<JobLock> logger)
{
    /// <summary>The jobs, each an advisory-lock key: its name in ASCII, as the start-up lock is "start".</summary>
    public const string SchedulePublishing = "publish";
    public const string Backup = "backup";
    public const string MediaCleanup = "media";
    public const string AuditRetention = "auditrm";
    public const string RecycleBin = "recycle";

    /// <summary>
    /// Enters a pass of <paramref name="job"/>: a lease to dispose when the pass is over, or null when another node is
    /// running it now (logged at Debug; skip the pass).
    /// </summary>
    public async Task<IAsyncDisposable?> TryEnterAsync(string job, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            if (!db.Database.IsNpgsql())
            {
                await scope.DisposeAsync();
                return NoLock.Instance;
            }
            var key = KeyOf(job);
            await db.Database.OpenConnectionAsync(ct);
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(ct);
            if (!taken)
            {
                logger.LogDebug("Skipping this pass of {Job}: another node is running it", job);
                await scope.DisposeAsync();
                return null;
            }
            return new Lease(scope, db, key);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>The job's name (at most 8 ASCII characters) as a 64-bit lock key.</summary>
    internal static long KeyOf(string job)
    {
        if (job.Length is 0 or > 8 || job.Any(c => c > 127))
        {
            throw new ArgumentException("A job's name is 1 to 8 ASCII characters", nameof(job));
        }
        return job.Aggregate(0L, (key, c) => (key << 8) | c);
    }

    private sealed class Lease(AsyncServiceScope scope, NewsDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Session locks outlive a pooled connection's return to the pool: released by hand.
                await db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({key}) AS \"Value\"").SingleAsync(CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
            finally
            {
                await scope.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
