using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// Where a read came from, as the analytics keep it: the referring page's host only (no path, no query, nothing of
/// the reader), <see cref="Direct"/> without a usable referrer, <see cref="Internal"/> from the site's own pages.
/// </summary>
public static class ReferrerHost
{
    /// <summary>No referrer: typed, bookmarked, an app or a browser policy that sends none.</summary>
    public const string Direct = "";

    /// <summary>From another page of this site (the front page, a channel, 延伸阅读).</summary>
    public const string Internal = "(站内)";

    public const int MaxLength = 253;

    public static string Of(HttpContext context)
    {
        var own = new Uri(PublicOrigin.BaseUrlOf(context.Request)).Host;
        return Of(context.Request.Headers.Referer.ToString(), own, context.Request.Host.Host);
    }

    /// <summary>
    /// The host of <paramref name="referrer"/> in lower case, or <see cref="Internal"/> when it is one of the site's
    /// own hosts, or <see cref="Direct"/> when it is absent or not an http(s) address (a forged header may hold anything).
    /// </summary>
    public static string Of(string? referrer, params string?[] ownHosts)
    {
        if (string.IsNullOrWhiteSpace(referrer) || referrer.Length > 4096
            || !Uri.TryCreate(referrer.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return Direct;
        }
        // IdnHost: the ASCII (punycode) form, one spelling per host whatever the header sent.
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host.Length is 0 or > MaxLength)
        {
            return Direct;
        }
        foreach (var own in ownHosts)
        {
            if (!string.IsNullOrEmpty(own) && string.Equals(host, own.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            {
                return Internal;
            }
        }
        return host;
    }
}
