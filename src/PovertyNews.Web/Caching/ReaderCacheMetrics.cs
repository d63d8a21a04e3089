using System.Diagnostics.Metrics;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Caching;

/// <summary>Lookups in the output cache of reader pages and feeds, counted by <see cref="ConsistentOutputCacheStore"/>.</summary>
public sealed class ReaderCacheMetrics
{
    public const string HitsName = "povertynews.output_cache.hits";
    public const string MissesName = "povertynews.output_cache.misses";

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    public ReaderCacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NewsMetrics.MeterName);
        _hits = meter.CreateCounter<long>(HitsName, "{lookup}", "Output-cache lookups answered from the cache (a page or a 304).");
        _misses = meter.CreateCounter<long>(MissesName, "{lookup}", "Output-cache lookups that found nothing, so the page was rendered.");
    }

    public void Lookup(bool hit) => (hit ? _hits : _misses).Add(1);
}
