using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Common;

public sealed class StartupGateTests
{
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);

    [Fact]
    public void NotHeld_OpensWhenTheHostHasStarted()
    {
        var gate = new StartupGate(_lifetime);
        Assert.False(gate.IsOpen);

        _lifetime.NotifyStarted();

        Assert.True(gate.IsOpen);
    }

    [Fact]
    public async Task Held_StaysClosedAfterTheHostStartedUntilTheStartOpensIt()
    {
        var gate = new StartupGate(_lifetime);
        gate.Hold();
        var waiting = gate.WaitAsync(CancellationToken.None);

        _lifetime.NotifyStarted();

        Assert.False(gate.IsOpen);
        Assert.False(waiting.IsCompleted);
        gate.Open();
        await waiting;
        Assert.True(gate.IsOpen);
    }

    [Fact]
    public async Task WaitAsync_HostStoppingBeforeItOpens_IsCancelled()
    {
        var gate = new StartupGate(_lifetime);
        gate.Hold();
        using var stopping = new CancellationTokenSource();
        var waiting = gate.WaitAsync(stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
