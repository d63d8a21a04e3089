using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// The last background <c>quick_check</c> (<see cref="DatabaseIntegrity"/>): damage found is Unhealthy until a later
/// check passes. No result yet (the first check still reading a large file), a check that could not run, or a last
/// pass older than two intervals (the background job stopped) is Degraded: the site answers, but nobody knows.
/// Damage SQLite reported while serving a request (<see cref="DatabaseDamageHandler"/>) is Unhealthy at once, until a
/// check that started after it passes.
/// </summary>
public sealed class IntegrityHealthCheck(DatabaseIntegrity integrity, TimeProvider time, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(context));

    private HealthCheckResult Check(HealthCheckContext context)
    {
        var last = integrity.Last;
        if (integrity.DamageReportUnchecked && integrity.DamageSeenAt is { } seen)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, integrity.Applies
                ? $"Database damaged: the database reported it while serving a request at {Format(seen)}; a {integrity.CheckName} will confirm."
                : $"Database damaged: PostgreSQL reported corrupted data while serving a request at {Format(seen)}; check the server (amcheck is not installed here).");
        }
        if (!integrity.Applies)
        {
            return HealthCheckResult.Healthy(integrity.NotApplicable);
        }
        if (last is null)
        {
            return HealthCheckResult.Degraded(integrity.RunningSince is { } since
                ? $"The first {integrity.CheckName} is running (since {Format(since)})."
                : $"No {integrity.CheckName} has run yet.");
        }
        var when = $"{integrity.CheckName} at {Format(last.FinishedAt)} ({last.Duration.TotalSeconds:0.###} s)";
        if (last.Passed == false)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Database damaged: {when} found {string.Join(" | ", last.Problems.Take(3))}");
        }
        if (last.Passed is null)
        {
            return HealthCheckResult.Degraded($"{when} could not run: {last.Problems.FirstOrDefault()}");
        }
        var age = time.GetUtcNow() - last.FinishedAt;
        return age > 2 * options.Value.IntegrityCheckInterval
            ? HealthCheckResult.Degraded($"The last passed {when} is {age.TotalHours:0} hours old.")
            : HealthCheckResult.Healthy($"{when} passed.");
    }

    private static string Format(DateTimeOffset moment) => moment.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
