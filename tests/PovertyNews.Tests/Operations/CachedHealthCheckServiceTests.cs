using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Operations.Health;

namespace PovertyNews.Tests.Operations;

public sealed class CachedHealthCheckServiceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly CountingService _inner = new();
    private readonly CachedHealthCheckService _cached;

    public CachedHealthCheckServiceTests() =>
        _cached = new CachedHealthCheckService(_inner, _clock, new FixedOptions(new HealthOptions { CacheDuration = TimeSpan.FromSeconds(5) }));

    [Fact]
    public async Task CheckHealth_WhileARunIsGoing_WaitsForItInsteadOfStartingAnother()
    {
        var first = _cached.CheckHealthAsync(HealthSetup.Ready);
        var second = _cached.CheckHealthAsync(HealthSetup.Ready);
        _inner.Finish();

        Assert.Same(await first, await second);
        Assert.Equal(1, _inner.Runs);
    }

    [Fact]
    public async Task CheckHealth_AfterTheCacheDuration_RunsTheChecksAgain()
    {
        _inner.Finish();
        await _cached.CheckHealthAsync(HealthSetup.Ready);
        _clock.Advance(TimeSpan.FromSeconds(4));
        await _cached.CheckHealthAsync(HealthSetup.Ready);
        Assert.Equal(1, _inner.Runs);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _cached.CheckHealthAsync(HealthSetup.Ready);
        Assert.Equal(2, _inner.Runs);
    }

    [Fact]
    public async Task CheckHealth_WhenTheClockWasSetBack_RunsTheChecksAgain()
    {
        _inner.Finish();
        await _cached.CheckHealthAsync(HealthSetup.Ready);
        _clock.AdjustTime(_clock.GetUtcNow() - TimeSpan.FromMinutes(1));

        await _cached.CheckHealthAsync(HealthSetup.Ready);

        Assert.Equal(2, _inner.Runs);
    }

    [Fact]
    public async Task CheckHealth_KeepsEachPredicatesReportApart()
    {
        _inner.Finish();
        await _cached.CheckHealthAsync(HealthSetup.Ready);
        await _cached.CheckHealthAsync(HealthSetup.Live);
        await _cached.CheckHealthAsync(HealthSetup.Live);

        Assert.Equal(2, _inner.Runs);
    }

    [Fact]
    public void IsDamage_FindsSqlitesCorruptionCodeInsideOtherExceptions()
    {
        var corrupt = new SqliteException("database disk image is malformed", 11);
        var busy = new SqliteException("database is locked", 5);

        Assert.True(DatabaseDamageHandler.IsDamage(new InvalidOperationException("query failed", corrupt)));
        Assert.True(DatabaseDamageHandler.IsDamage(new AggregateException(new Exception("x"), corrupt)));
        Assert.False(DatabaseDamageHandler.IsDamage(new InvalidOperationException("query failed", busy)));
        Assert.False(DatabaseDamageHandler.IsDamage(new IOException("disk")));
    }

    private sealed class CountingService : HealthCheckService
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public void Finish() => _gate.TrySetResult();

        public override async Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            await _gate.Task;
            return new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero);
        }
    }

    private sealed class FixedOptions(HealthOptions value) : IOptionsMonitor<HealthOptions>
    {
        public HealthOptions CurrentValue => value;

        public HealthOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<HealthOptions, string?> listener) => null;
    }
}
