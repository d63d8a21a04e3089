using System.Diagnostics.Metrics;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Operations.Metrics;

/// <summary>
/// What the admin status page shows of the site's activity: requests per minute over the last hours, output-cache
/// hits and misses since start, the scheduled-publishing job's last pass, and storage sizes. Fed by a
/// <see cref="MeterListener"/> on the same instruments the Prometheus endpoint exports, so both tell the same story,
/// and it works whether or not that endpoint is enabled.
/// </summary>
/// <remarks>
/// Only this host's instruments are heard (those made by its <see cref="IMeterFactory"/>): several hosts in one
/// process, as in the tests, keep apart.
/// </remarks>
public sealed class SiteActivity : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string RequestDuration = "http.server.request.duration";

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private long _cacheHits;
    private long _cacheMisses;
    private long _schedulerRuns;
    private long _schedulerFailures;
    private long _schedulerLastRunTicks;

    public SiteActivity(IMeterFactory meters, TimeProvider time, RequestRateHistory requests, StorageSizes storage)
    {
        _time = time;
        Requests = requests;
        Storage = storage;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter.Scope, meters))
            {
                return;
            }
            if ((instrument.Meter.Name, instrument.Name) is (HostingMeter, RequestDuration)
                or (_, ReaderCacheMetrics.HitsName or ReaderCacheMetrics.MissesName or SchedulerMetrics.RunsName))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == RequestDuration)
            {
                Requests.Add();
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            switch (instrument.Name)
            {
                case ReaderCacheMetrics.HitsName:
                    Interlocked.Add(ref _cacheHits, value);
                    break;
                case ReaderCacheMetrics.MissesName:
                    Interlocked.Add(ref _cacheMisses, value);
                    break;
                case SchedulerMetrics.RunsName:
                    Interlocked.Add(ref _schedulerRuns, value);
                    foreach (var tag in tags)
                    {
                        if (tag is { Key: "outcome", Value: "failed" })
                        {
                            Interlocked.Add(ref _schedulerFailures, value);
                        }
                    }
                    Interlocked.Exchange(ref _schedulerLastRunTicks, _time.GetUtcNow().UtcTicks);
                    break;
            }
        });
        _listener.Start();
    }

    public RequestRateHistory Requests { get; }

    public StorageSizes Storage { get; }

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    /// <summary>Hits over lookups since start; null before the first lookup.</summary>
    public double? CacheHitRatio => CacheHits + CacheMisses is var lookups and > 0 ? (double)CacheHits / lookups : null;

    public long SchedulerRuns => Interlocked.Read(ref _schedulerRuns);

    public long SchedulerFailures => Interlocked.Read(ref _schedulerFailures);

    /// <summary>When the scheduled-publishing job last finished a pass (or failed one); null before its first.</summary>
    public DateTimeOffset? SchedulerLastRunAt =>
        Interlocked.Read(ref _schedulerLastRunTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Dispose() => _listener.Dispose();
}
