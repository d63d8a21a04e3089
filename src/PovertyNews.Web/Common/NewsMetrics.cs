namespace PovertyNews.Web.Common;

/// <summary>
/// The name of the app's own meter. Each feature makes its instruments on it through <c>IMeterFactory</c> (so they
/// live and die with the host); the host's operations code exports the meter and reads it for the status page.
/// </summary>
public static class NewsMetrics
{
    public const string MeterName = "PovertyNews";

    /// <summary>Bucket bounds for durations of a request's part, as ASP.NET Core uses for request durations.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
}
