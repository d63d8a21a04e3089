using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Data;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Every article is in the search index (readers' visibility is decided at query time), so a difference between the
/// two counts means articles that search silently cannot find: an interrupted build or a damaged index.
/// </summary>
/// <remarks>
/// While the start-up repair (<see cref="ISearchIndexStatus"/>) is mending a difference it is Degraded, not Unhealthy:
/// the site serves everything but some search hits, the repair is already doing what an operator would do, and a
/// load balancer acting on readiness would otherwise take the only instance out of rotation for the repair's length.
/// A difference with no repair running (it failed, or an index lost rows after the start) is Unhealthy.
/// </remarks>
public sealed class SearchIndexHealthCheck(NewsDbContext db, ISearchIndex index, ISearchIndexStatus repair) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = await index.CountAsync(db, cancellationToken);
        if (count.Consistent)
        {
            return HealthCheckResult.Healthy($"All {count.Articles} articles are indexed.");
        }
        var missing = $"The search index holds {count.Indexed} of {count.Articles} articles";
        return repair.Current.Running
            ? HealthCheckResult.Degraded($"{missing}; the start-up repair is running.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"{missing}; run the reindex command.");
    }
}
