using System.Diagnostics;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Media;
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
    MediaStore media,
    BackupCatalog backups,
    RecentErrors errors,
    HealthCheckService health,
    DatabaseIntegrity integrity,
    SiteActivity activity,
    OperationsPaths paths,
    TimeProvider time)
{
    public async Task<SystemStatusReport> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var started = StartedAt();
        var (version, commit) = Version();
        var count = await index.CountAsync(db, ct);
        var (mediaFiles, mediaBytes) = FolderSize(media.Folder);
        var disk = DiskOf(paths.DataPath);
        // The same cached report /healthz/ready answers with, so the page and a load balancer never disagree.
        var ready = await health.CheckHealthAsync(HealthSetup.Ready, ct);
        return new SystemStatusReport(
            ReadAt: now,
            Version: version,
            Commit: commit,
            StartedAt: started,
            Uptime: now - started,
            DatabaseBytes: DatabaseBytes(),
            MediaFiles: mediaFiles,
            MediaBytes: mediaBytes,
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
            CacheHits: activity.CacheHits,
            CacheMisses: activity.CacheMisses,
            SchedulerRuns: activity.SchedulerRuns,
            SchedulerFailures: activity.SchedulerFailures,
            SchedulerLastRunAt: activity.SchedulerLastRunAt,
            RequestsPerMinute: activity.Requests.Last());
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

    /// <summary>The database file with its write-ahead log, which holds recent writes until a checkpoint.</summary>
    private long? DatabaseBytes()
    {
        var file = db.Database.GetDbConnection().DataSource;
        if (string.IsNullOrEmpty(file) || !File.Exists(file))
        {
            return null;
        }
        return new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
    }

    private static (int Files, long Bytes) FolderSize(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return (0, 0);
        }
        var files = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.TopDirectoryOnly))
        {
            files++;
            bytes += file.Length;
        }
        return (files, bytes);
    }

    private static DriveInfo? DiskOf(string path)
    {
        try
        {
            // The drive whose mount point is the longest prefix of the path is the one the data lives on.
            var full = Path.GetFullPath(path);
            return DriveInfo.GetDrives().Where(d => d.IsReady && full.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal))
                .MaxBy(d => d.RootDirectory.FullName.Length);
        }
        catch (IOException)
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
    int MediaFiles,
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
    long CacheHits,
    long CacheMisses,
    long SchedulerRuns,
    long SchedulerFailures,
    DateTimeOffset? SchedulerLastRunAt,
    IReadOnlyList<MinuteCount> RequestsPerMinute)
{
    public double? CacheHitRatio => CacheHits + CacheMisses is var lookups and > 0 ? (double)CacheHits / lookups : null;
}

/// <summary>One readiness check as the page lists it.</summary>
public sealed record HealthLine(string Name, HealthStatus Status, string? Description);
