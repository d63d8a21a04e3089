using System.Diagnostics.Metrics;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>The scheduled-publishing job: its passes, what they published, and how late.</summary>
public sealed class SchedulerMetrics
{
    public const string RunsName = "povertynews.scheduler.runs";
    public const string PublishedName = "povertynews.scheduler.published";
    public const string LagName = "povertynews.scheduler.publish_lag";

    private readonly Counter<long> _runs;
    private readonly Counter<long> _published;
    private readonly Histogram<double> _lag;

    public SchedulerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NewsMetrics.MeterName);
        _runs = meter.CreateCounter<long>(RunsName, "{run}", "Passes of the scheduled-publishing job, by outcome (ok or failed).");
        _published = meter.CreateCounter<long>(PublishedName, "{article}", "Scheduled articles the job published.");
        // Readers see a scheduled article from its minute on (Article.VisibleAt) whatever the job does; this is how
        // long after that minute the newsroom's status, the record and the audit entry followed.
        _lag = meter.CreateHistogram<double>(LagName, "s",
            "Time from an article's scheduled minute to the job marking it published.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600] });
    }

    public void Run(bool succeeded) =>
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "failed"));

    public void Published(TimeSpan lag)
    {
        _published.Add(1);
        _lag.Record(Math.Max(0, lag.TotalSeconds));
    }
}
