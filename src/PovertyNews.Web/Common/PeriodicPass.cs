namespace PovertyNews.Web.Common;

/// <summary>
/// The loop of every background job: one pass per tick of a timer on the app's clock (tests move it) until the host
/// stops. A pass that throws is reported to <c>failed</c> and the next tick tries again, since one bad pass (a locked
/// database, a mail server down) must not stop the job for good.
/// </summary>
public static class PeriodicPass
{
    /// <param name="first">Run a pass at once, before the first tick (jobs that catch up at start).</param>
    public static async Task RunAsync(TimeProvider time, TimeSpan interval, Func<CancellationToken, Task> pass,
        Action<Exception> failed, CancellationToken stoppingToken, bool first = false)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            if (first)
            {
                await RunOneAsync(pass, failed, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOneAsync(pass, failed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task RunOneAsync(Func<CancellationToken, Task> pass, Action<Exception> failed, CancellationToken ct)
    {
        try
        {
            await pass(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed(ex);
        }
    }
}
