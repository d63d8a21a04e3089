namespace PovertyNews.Web.Common;

/// <summary>
/// A job that writes what it has counted in memory (view counts, API key use) every <see cref="Interval"/> and once
/// more when the host stops, so a clean stop loses nothing. A failed write keeps the counts for the next one (each
/// buffer restores what it could not write) and is reported to <see cref="OnFlushFailed"/>.
/// </summary>
public abstract class BufferFlushService(TimeProvider time) : BackgroundService
{
    /// <summary>The app's clock (tests move it), for the buffer's own dates too.</summary>
    protected TimeProvider Clock { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Writes what is buffered.</summary>
    protected abstract Task WriteBufferAsync(CancellationToken ct);

    protected abstract void OnFlushFailed(Exception e);

    // The write itself is not cancelled by the stop: StopAsync writes what is left once more.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPass.RunAsync(Clock, Interval, _ => WriteSafelyAsync(CancellationToken.None), _ => { }, stoppingToken);

    /// <summary>
    /// Writes what is left, whatever the host's token says. The host stops its services one after another, all within
    /// one shutdown timeout: when a job before this one used it up, the token comes here already cancelled, and a
    /// cancelled last write would lose the counts with the process (and fail the host's stop, so the process ended
    /// with an unhandled exception). The write takes milliseconds and is bounded by the database's own busy timeout.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await WriteBufferAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            OnFlushFailed(e);
        }
    }

    private async Task WriteSafelyAsync(CancellationToken ct)
    {
        try
        {
            await WriteBufferAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OnFlushFailed(e);
        }
    }
}
