using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.Logs;

/// <summary>
/// The "PovertyNews:Logs" section: the log files under the data folder's <c>logs/</c>. China's Cybersecurity Law
/// (Art. 21) asks network operators to keep network logs for at least six months, hence 180 days by default.
/// Levels stay in the "Serilog" section.
/// </summary>
public sealed class LogOptions
{
    public const string SectionName = "PovertyNews:Logs";

    /// <summary>Days the application log (<c>logs/povertynews-YYYYMMDD.log</c>) is kept.</summary>
    [Range(1, 3650)]
    public int RetainedDays { get; set; } = 180;

    /// <summary>
    /// Request log lines (Serilog's request logging: method, path, status, time) go to their own file,
    /// <c>logs/requests-YYYYMMDD.log</c>, instead of the application log.
    /// </summary>
    public bool SeparateRequestLog { get; set; } = true;

    /// <summary>Days the request log is kept.</summary>
    [Range(1, 3650)]
    public int RequestRetainedDays { get; set; } = 180;

    /// <summary>A day's file that reaches this size continues in a second file of the same day (..._001.log), so nothing is lost.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long FileSizeLimitBytes { get; set; } = 1024L * 1024 * 1024;
}
