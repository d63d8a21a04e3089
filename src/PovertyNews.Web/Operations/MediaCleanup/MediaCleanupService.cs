using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Operations.MediaCleanup;

/// <summary>Runs <see cref="MediaCleaner"/> every <see cref="MediaCleanupOptions.Interval"/> on the registered clock.</summary>
public sealed class MediaCleanupService(IServiceScopeFactory scopes, JobLock jobs, TimeProvider time, IOptions<MediaCleanupOptions> options,
    ILogger<MediaCleanupService> logger) : BackgroundService
{
    private TaskCompletionSource<CleanupReport> _next = NewRun();

    /// <summary>Completes with the report of the next run (for tests and the status page; no polling).</summary>
    public Task<CleanupReport> NextRun => Volatile.Read(ref _next).Task;

    /// <summary>The last run's report, null before the first.</summary>
    public CleanupReport? LastReport { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        // The media folder is shared by every node: one of them sweeps it at a time.
        IAsyncDisposable? pass;
        try
        {
            pass = await jobs.TryEnterAsync(JobLock.MediaCleanup, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Media cleanup failed: the database could not say whether another node is running it");
            return;
        }
        if (pass is null)
        {
            return;
        }
        await using var _ = pass;
        var run = Interlocked.Exchange(ref _next, NewRun());
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<MediaCleaner>().RunAsync(dryRun: false, ct);
            if (report.Refused is { } reason)
            {
                logger.LogWarning("Media cleanup skipped: {Reason}", reason);
            }
            LastReport = report;
            run.TrySetResult(report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Media cleanup failed");
            run.TrySetException(e);
        }
    }

    private static TaskCompletionSource<CleanupReport> NewRun() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
