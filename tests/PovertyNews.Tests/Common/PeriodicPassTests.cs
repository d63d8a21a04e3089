using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Common;

/// <summary>The jobs' loop: a pass per tick of the app's clock, a failing pass reported and the next tick run, a clean stop.</summary>
public sealed class PeriodicPassTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task FailingPass_IsReported_AndTheNextTickRunsAgain_UntilTheStop()
    {
        var clock = new FakeTimeProvider();
        var passes = 0;
        var failures = new List<string>();
        var ran = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var loop = PeriodicPass.RunAsync(clock, Interval, _ =>
        {
            passes++;
            ran.Release();
            return passes == 1 ? Task.FromException(new InvalidOperationException("locked")) : Task.CompletedTask;
        }, e => failures.Add(e.Message), stop.Token);

        Assert.Equal(0, passes); // nothing before the first tick
        clock.Advance(Interval);
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Advance(Interval);
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));

        await stop.CancelAsync();
        await loop; // ends without throwing
        Assert.Equal(2, passes);
        Assert.Equal(["locked"], failures);
    }

    [Fact]
    public async Task First_RunsAPassAtOnce()
    {
        var clock = new FakeTimeProvider();
        var ran = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var loop = PeriodicPass.RunAsync(clock, Interval, _ => { ran.TrySetResult(); return Task.CompletedTask; }, _ => { }, stop.Token, first: true);

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await loop;
    }
}
