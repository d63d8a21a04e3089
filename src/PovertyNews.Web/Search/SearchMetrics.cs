using System.Diagnostics.Metrics;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Search;

/// <summary>How long searches take, from the checked form to the marked hits, by who searched.</summary>
public sealed class SearchMetrics
{
    public const string DurationName = "povertynews.search.duration";

    private readonly Histogram<double> _duration;

    public SearchMetrics(IMeterFactory meters) =>
        _duration = meters.Create(NewsMetrics.MeterName).CreateHistogram<double>(DurationName, "s",
            "Time to run one search: the index query and loading the page of hits.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = NewsMetrics.SecondsBuckets });

    public void Record(TimeSpan elapsed, SearchScope scope) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("scope", scope == SearchScope.Public ? "reader" : "staff"));
}
