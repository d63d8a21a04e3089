using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PovertyNews.Web.Infrastructure;

/// <summary>The "PovertyNews:Proxy" section: the reverse proxies whose forwarded headers are believed, and HTTPS.</summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "PovertyNews:Proxy";

    /// <summary>Addresses of the proxies in front of the app (e.g. <c>127.0.0.1</c> for nginx on the same machine).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation (e.g. <c>10.0.0.0/8</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Answer plain-HTTP requests (after forwarding) with a redirect to HTTPS.</summary>
    public bool HttpsRedirection { get; set; }

    /// <summary>The public HTTPS port redirects go to.</summary>
    [Range(1, 65535)]
    public int HttpsPort { get; set; } = 443;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownProxies: '{proxy}' is not an IP address");
        }
        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)");
        }
    }
}
