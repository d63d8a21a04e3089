using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Data;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Operations;

public sealed class SearchIndexHealthCheckTests
{
    private static readonly HealthCheckContext Context = new()
    {
        Registration = new HealthCheckRegistration("search-index", _ => null!, HealthStatus.Unhealthy, null),
    };

    [Fact]
    public async Task Counts_Agree_Healthy()
    {
        var result = await Check(new SearchIndexCount(10, 10), SearchIndexCheckPhase.Consistent);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Theory]
    [InlineData(SearchIndexCheckPhase.Checking)]
    [InlineData(SearchIndexCheckPhase.Repairing)]
    public async Task CountsDiffer_WhileTheStartUpRepairRuns_Degraded(SearchIndexCheckPhase phase)
    {
        var result = await Check(new SearchIndexCount(7, 10), phase);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("7 of 10", result.Description);
        Assert.Contains("repair is running", result.Description);
    }

    [Theory]
    [InlineData(SearchIndexCheckPhase.Consistent)]
    [InlineData(SearchIndexCheckPhase.Repaired)]
    [InlineData(SearchIndexCheckPhase.Failed)]
    [InlineData(SearchIndexCheckPhase.NotChecked)]
    public async Task CountsDiffer_WithNoRepairRunning_Unhealthy(SearchIndexCheckPhase phase)
    {
        var result = await Check(new SearchIndexCount(7, 10), phase);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("run the reindex command", result.Description);
    }

    private static Task<HealthCheckResult> Check(SearchIndexCount count, SearchIndexCheckPhase phase) =>
        new SearchIndexHealthCheck(null!, new CountingIndex(count), new FixedStatus(new SearchIndexCheckState(phase)))
            .CheckHealthAsync(Context);

    private sealed class FixedStatus(SearchIndexCheckState state) : ISearchIndexStatus
    {
        public SearchIndexCheckState Current => state;
    }

    /// <summary>Answers the count only; the check must ask nothing else.</summary>
    private sealed class CountingIndex(SearchIndexCount count) : ISearchIndex
    {
        public Task<SearchIndexCount> CountAsync(NewsDbContext db, CancellationToken ct) => Task.FromResult(count);

        public Task UpdateAsync(NewsDbContext db, IReadOnlyCollection<int> articleIds, CancellationToken ct) => throw new NotSupportedException();

        public Task<int> RebuildAsync(NewsDbContext db, IProgress<(int Done, int Total)>? progress, CancellationToken ct) => throw new NotSupportedException();

        public Task EnsureBuiltAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();
        public Task<int> AnalyzerVersionAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();

        public Task<SearchIndexRepair> RepairAsync(NewsDbContext db, CancellationToken ct) => throw new NotSupportedException();

        public Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct) => throw new NotSupportedException();
    }
}
