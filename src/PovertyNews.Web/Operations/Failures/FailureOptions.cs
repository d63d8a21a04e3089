using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.Failures;

/// <summary>The "PovertyNews:Failures" section: how a write the storage could not take is answered.</summary>
public sealed class FailureOptions
{
    public const string SectionName = "PovertyNews:Failures";

    /// <summary>The Retry-After of a 503 for a full disk or a busy database: a busy writer is usually gone by then.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
