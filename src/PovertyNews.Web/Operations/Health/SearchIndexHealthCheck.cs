using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Data;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Every article is in the search index (readers' visibility is decided at query time), so a difference between the
/// two counts means articles that search silently cannot find: an interrupted build or a damaged index.
/// </summary>
/// <remarks>
/// A difference is Unhealthy even while a repair is running: until it ends, search answers are incomplete, and the
/// operator is told so; the description says how many articles are missing. A site run as a single instance behind a
/// load balancer that acts on readiness should point the balancer at <c>/healthz/live</c> (see the README).
/// </remarks>
public sealed class SearchIndexHealthCheck(NewsDbContext db, ISearchIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = await index.CountAsync(db, cancellationToken);
        return count.Consistent
            ? HealthCheckResult.Healthy($"All {count.Articles} articles are indexed.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"The search index holds {count.Indexed} of {count.Articles} articles; run the reindex command.");
    }
}
