using System.Diagnostics.Metrics;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>What each write of buffered view counts carried.</summary>
public sealed class ReadingMetrics
{
    public const string FlushReadsName = "povertynews.views.flush.reads";
    public const string FlushArticlesName = "povertynews.views.flush.articles";

    private readonly Histogram<long> _reads;
    private readonly Histogram<long> _articles;

    public ReadingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NewsMetrics.MeterName);
        var buckets = new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] };
        _reads = meter.CreateHistogram<long>(FlushReadsName, "{read}", "Reads written by one flush of buffered view counts.", tags: null, buckets);
        _articles = meter.CreateHistogram<long>(FlushArticlesName, "{article}", "Articles whose counts one flush updated.", tags: null, buckets);
    }

    public void Flushed(long reads, int articles)
    {
        _reads.Record(reads);
        _articles.Record(articles);
    }
}
