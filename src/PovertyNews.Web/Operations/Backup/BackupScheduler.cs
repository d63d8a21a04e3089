using System.Globalization;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// The daily backup: at <see cref="BackupOptions.TimeOfDay"/> (China time) an archive goes to the backups folder,
/// is checked in full, and retention removes the scheduled archives no longer kept. A failed or unsound backup is
/// logged and recorded, and then nothing is deleted.
/// </summary>
public sealed class BackupScheduler(
    BackupService backups,
    BackupCatalog catalog,
    BackupScheduleState state,
    JobLock jobs,
    IOptions<BackupOptions> options,
    TimeProvider time,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    /// <summary>Leftovers of a killed backup (hidden, not ending in .zip) are removed after this long.</summary>
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Scheduled backups are off (PovertyNews:Backup:Enabled is false)");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var due = NextRun(now, settings.TimeOfDay);
            state.NextRun = due;
            try
            {
                await Task.Delay(due - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            state.NextRun = null;
            // Every node of a cluster is due at the same minute; one of them backs the shared database up.
            IAsyncDisposable? pass;
            try
            {
                pass = await jobs.TryEnterAsync(JobLock.Backup, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled backup skipped: the database could not say whether another node is running it");
                continue;
            }
            if (pass is not null)
            {
                await using (pass)
                {
                    await OwnThread.RunAsync(() => RunOnceAsync(stoppingToken));
                }
            }
        }
    }

    /// <summary>The first time after <paramref name="now"/> that is <paramref name="timeOfDay"/> in China.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan timeOfDay)
    {
        var china = now.ToOffset(ChinaTime.Offset);
        var today = new DateTimeOffset(china.Date + timeOfDay, ChinaTime.Offset);
        return (today > now ? today : today.AddDays(1)).ToUniversalTime();
    }

    /// <summary>One scheduled backup with its check and retention; never throws but for cancellation.</summary>
    public async Task<BackupAttempt> RunOnceAsync(CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var file = FreeName(started);
        try
        {
            var result = await backups.CreateAsync(file, ct);
            var check = await backups.VerifyAsync(result.File, ct);
            if (!check.Ok)
            {
                File.Move(result.File, result.File + ".damaged", overwrite: true);
                throw new BackupException("the new archive failed its check: " + string.Join("; ", check.Problems));
            }
            logger.LogInformation(
                "Backup {File} written and checked: {Bytes} bytes, {Articles} articles, {MediaFiles} media files, {Seconds:0.0} s to write",
                result.File, result.Size, result.Manifest.Counts.Articles,
                result.Manifest.Files.Count(f => f.Path.StartsWith(BackupManifest.MediaPrefix, StringComparison.Ordinal)),
                result.Elapsed.TotalSeconds);
            var attempt = new BackupAttempt(started, time.GetUtcNow(), true, result.File, result.Size, null);
            catalog.RecordAttempt(attempt);
            ApplyRetention();
            return attempt;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Backup to {File} failed: {Reason}", file, e.Message);
            var attempt = new BackupAttempt(started, time.GetUtcNow(), false, file, null, e.Message);
            try
            {
                catalog.RecordAttempt(attempt);
            }
            catch (Exception recordError) when (recordError is IOException or UnauthorizedAccessException)
            {
                logger.LogError(recordError, "The failed backup could not be recorded in {Folder}", catalog.Folder);
            }
            return attempt;
        }
    }

    /// <summary>Deletes the scheduled archives retention does not keep, and leftovers of killed backups.</summary>
    internal void ApplyRetention()
    {
        var settings = options.Value;
        var scheduled = catalog.List().Where(a => a.Scheduled).ToList();
        var good = scheduled.Where(a => a.Readable).ToList();
        if (good.Count == 0)
        {
            return;
        }
        var keep = BackupRetention.Keep(good, a => a.CreatedAt, settings.KeepDaily, settings.KeepWeekly);
        var newestGood = good.Max(a => a.CreatedAt);
        // An unreadable archive newer than every good one is left for a person to look at.
        foreach (var archive in scheduled.Where(a => !keep.Contains(a) && (a.Readable || a.CreatedAt < newestGood)))
        {
            try
            {
                File.Delete(archive.Path);
                logger.LogInformation("Backup {File} removed by retention ({Daily} daily, {Weekly} weekly kept)",
                    archive.Name, settings.KeepDaily, settings.KeepWeekly);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Backup {File} could not be removed", archive.Name);
            }
        }
        var now = time.GetUtcNow();
        foreach (var leftover in new DirectoryInfo(catalog.Folder).EnumerateFiles("." + BackupCatalog.ScheduledPrefix + "*")
            .Where(f => now - new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero) > LeftoverAge))
        {
            BackupArchiveWriter.DeleteQuietly(leftover.FullName);
            logger.LogWarning("Removed {File}, left by an interrupted backup", leftover.Name);
        }
    }

    private string FreeName(DateTimeOffset started)
    {
        var stamp = started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(catalog.Folder, $"{BackupCatalog.ScheduledPrefix}{stamp}.zip");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(catalog.Folder, $"{BackupCatalog.ScheduledPrefix}{stamp}-{n}.zip");
        }
        return path;
    }
}
