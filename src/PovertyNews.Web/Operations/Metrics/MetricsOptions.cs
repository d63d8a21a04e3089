using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Operations.Metrics;

/// <summary>
/// The "PovertyNews:Metrics" section: the Prometheus scrape endpoint. Off by default; when on, it is served on its own
/// port only, never on the site's public address.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "PovertyNews:Metrics";

    public bool Enabled { get; set; }

    /// <summary>The port the scrape endpoint listens on; it answers nothing else, and the site's port never answers it.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 9464;

    /// <summary>
    /// The address the metrics port is bound to: loopback by default (a Prometheus on the same machine); <c>*</c> or
    /// an interface's address for a Prometheus elsewhere, behind a firewall that lets only it in.
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string Path { get; set; } = "/metrics";
}
