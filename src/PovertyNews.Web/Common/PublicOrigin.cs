using System.Net;

namespace PovertyNews.Web.Common;

/// <summary>
/// Where the site's absolute URLs (canonical, og:url, feeds, sitemaps, robots.txt) point, and whether answers to this
/// request may be kept in the output cache. Set on each request by the host (Infrastructure/HostingSetup): from
/// <c>PovertyNews:PublicBaseUrl</c> when configured, so a forged Host header never reaches a page; otherwise from the
/// request, and then only requests for a configured or loopback host are cached, so random Hosts make no entries.
/// </summary>
public sealed record PublicOrigin(string BaseUrl, bool Cacheable)
{
    public static PublicOrigin Of(HttpContext http) =>
        http.Features.Get<PublicOrigin>() ?? FromRequest(http.Request, IsLoopback(http.Request.Host.Host));

    /// <summary>The scheme, host and path base absolute URLs start with (no trailing slash).</summary>
    public static string BaseUrlOf(HttpRequest request) => Of(request.HttpContext).BaseUrl;

    public static PublicOrigin FromRequest(HttpRequest request, bool cacheable) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}", cacheable);

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
