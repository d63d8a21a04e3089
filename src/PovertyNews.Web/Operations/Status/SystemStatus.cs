using System.Diagnostics;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Operations.Backup;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Operations.Metrics;
using PovertyNews.Web.Operations.Logs;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Operations.Status;

/// <summary>
/// Everything the 系统状态 page shows, read in one place: an operator looking at the page and a test asking the
/// service see the same figures.
/// </summary>
public sealed class SystemStatus(
    NewsDbContext db,
    ISearchIndex index,
    ISearchIndexStatus indexCheck,
    BackupCatalog backups,
    RecentErrors errors,
    HealthCheckService health,
    DatabaseIntegrity integrity,
    SiteActivity activity,
    OperationsPaths paths,
    IOptions<ClusterOptions> cluster,
    IServiceProvider services,
    TimeProvider time)
{
    public async Task<SystemStatusReport> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var started = StartedAt();
        var (version, commit) = Version();
        var count = await index.CountAsync(db, ct);
        var images = await db.MediaItems.CountAsync(ct);
        var disk = DiskOf(paths.DataPath);
        // The same cached report /healthz/ready answers with, so the page and a load balancer never disagree.
        var ready = await health.CheckHealthAsync(HealthSetup.Ready, ct);
        var bus = cluster.Value.Enabled ? services.GetService<RedisClusterBus>() : null;
        return new SystemStatusReport(
            ReadAt: now,
            Version: version,
            Commit: commit,
            StartedAt: started,
            Uptime: now - started,
            // The metrics' gauges measure the same: the media folder is walked at most every five minutes.
            DatabaseBytes: activity.Storage.DatabaseBytes,
            Images: images,
            MediaBytes: activity.Storage.MediaBytes(),
            SearchIndex: count,
            SearchIndexCheck: indexCheck.Current,
            DiskFreeBytes: disk?.AvailableFreeSpace,
            DiskTotalBytes: disk?.TotalSize,
            Backups: backups.GetOverview(),
            RecentErrors: errors.Snapshot(),
            Ready: ready.Status,
            Checks: ready.Entries.Select(e => new HealthLine(e.Key, e.Value.Status, e.Value.Description)).ToList(),
            Integrity: integrity.Last,
            IntegrityRunningSince: integrity.RunningSince,
            IntegrityApplies: integrity.Applies,
            CacheHits: activity.CacheHits,
            CacheMisses: activity.CacheMisses,
            SchedulerRuns: activity.SchedulerRuns,
            SchedulerFailures: activity.SchedulerFailures,
            SchedulerLastRunAt: activity.SchedulerLastRunAt,
            RequestsPerMinute: activity.Requests.Last(),
            Node: bus is null ? null : new NodeStatus(cluster.Value.Node, bus.CutOffSince, bus.Announced, bus.Applied));
    }

    private static DateTimeOffset StartedAt()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    /// <summary>The build's version and the commit it was built from (the SDK appends it as <c>+sha</c>).</summary>
    private static (string Version, string? Commit) Version()
    {
        var informational = typeof(SystemStatus).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, null) : (informational[..plus], informational[(plus + 1)..]);
    }

    /// <summary>The file system the data folder is on (as the disk-space health check asks it).</summary>
    private static DriveInfo? DiskOf(string path)
    {
        try
        {
            return new DriveInfo(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            return null;
        }
    }
}

public sealed record SystemStatusReport(
    DateTimeOffset ReadAt,
    string Version,
    string? Commit,
    DateTimeOffset StartedAt,
    TimeSpan Uptime,
    long? DatabaseBytes,
    int Images,
    long MediaBytes,
    SearchIndexCount SearchIndex,
    SearchIndexCheckState SearchIndexCheck,
    long? DiskFreeBytes,
    long? DiskTotalBytes,
    BackupOverview Backups,
    IReadOnlyList<RecentError> RecentErrors,
    HealthStatus Ready,
    IReadOnlyList<HealthLine> Checks,
    IntegrityCheckResult? Integrity,
    DateTimeOffset? IntegrityRunningSince,
    bool IntegrityApplies,
    long CacheHits,
    long CacheMisses,
    long SchedulerRuns,
    long SchedulerFailures,
    DateTimeOffset? SchedulerLastRunAt,
    IReadOnlyList<MinuteCount> RequestsPerMinute,
    NodeStatus? Node = null)
{
    public double? CacheHitRatio => CacheHits + CacheMisses is var lookups and > 0 ? (double)CacheHits / lookups : null;
}

/// <summary>This node of a cluster: its name, whether it hears the others, the changes it announced and applied since start.</summary>
public sealed record NodeStatus(string Name, DateTimeOffset? CutOffSince, long Announced, long Applied);

/// <summary>One readiness check as the page lists it.</summary>
public sealed record HealthLine(string Name, HealthStatus Status, string? Description);
