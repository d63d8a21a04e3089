using System.Runtime.CompilerServices;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Puts a short-lived cache around the framework's <see cref="HealthCheckService"/>: a report is reused for
/// <see cref="HealthOptions.CacheDuration"/>, and requests that arrive while the checks run wait for that run instead
/// of starting their own. So a load balancer's probes, or a crowd of requests to <c>/healthz</c>, cost one run of the
/// checks per period, and everything else (the endpoints, the admin status page) still talks to the framework's type.
/// </summary>
/// <remarks>
/// Reports are kept per predicate (the endpoints share theirs, <see cref="HealthSetup.Ready"/>), weakly, so a caller
/// that passes a new delegate each time leaves nothing behind. A run is not cancelled by the request that started
/// it: the others waiting for it would lose it; each check has its own timeout.
/// </remarks>
public sealed class CachedHealthCheckService(HealthCheckService inner, TimeProvider time, IOptionsMonitor<HealthOptions> options)
    : HealthCheckService
{
    private static readonly object AllChecks = new();
    private readonly ConditionalWeakTable<object, Entry> _entries = new();

    public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate,
        CancellationToken cancellationToken = default)
    {
        var entry = _entries.GetValue(predicate ?? AllChecks, _ => new Entry());
        Task<HealthReport> run;
        lock (entry)
        {
            var now = time.GetUtcNow();
            // A clock set back (a correction of the system time) makes the cached report stale, not young.
            var age = now - entry.Started;
            if (entry.Run is { } current && (!current.IsCompleted || (age >= TimeSpan.Zero && age < options.CurrentValue.CacheDuration)))
            {
                run = current;
            }
            else
            {
                entry.Started = now;
                run = entry.Run = inner.CheckHealthAsync(predicate, CancellationToken.None);
            }
        }
        return run.WaitAsync(cancellationToken);
    }

    private sealed class Entry
    {
        public Task<HealthReport>? Run;
        public DateTimeOffset Started;
    }
}
