using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// How the app sits behind its public address: the configured public base URL (absolute URLs and the cache's host),
/// forwarded headers from known proxies only, HTTPS redirection and HSTS.
/// </summary>
public static class HostingSetup
{
    /// <summary>HSTS asks browsers to remember HTTPS for a year, the length the preload list and most audits expect.</summary>
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static IServiceCollection AddHosting(this IServiceCollection services)
    {
        services.AddOptions<PovertyNewsOptions>()
            .Validate(o => o.PublicBaseUrl is null || ParsePublicBaseUrl(o.PublicBaseUrl) is not null,
                "PovertyNews:PublicBaseUrl must be an absolute http or https URL with no path, query or fragment (https://news.example.com)")
            .ValidateOnStart();
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHsts(o => o.MaxAge = HstsMaxAge);
        services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionOptions>().Configure<IOptions<ProxyOptions>>((https, proxy) =>
        {
            https.HttpsPort = proxy.Value.HttpsPort;
            https.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
        });
        return services;
    }

    /// <summary>The origin of a valid public base URL (no trailing slash), or null.</summary>
    public static Uri? ParsePublicBaseUrl(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : null;

    /// <summary>First in the pipeline: everything after it sees the client's address, scheme and the public host.</summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        var site = app.Services.GetRequiredService<IOptions<PovertyNewsOptions>>().Value;
        var allowedHosts = AllowedHosts(app.Configuration);
        if (proxy.Enabled)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
                // Every hop is checked against the known proxies, so the chain may be as long as they make it.
                ForwardLimit = null,
                AllowedHosts = allowedHosts,
            };
            // The defaults trust loopback; only what is configured is believed.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            proxy.KnownProxies.ForEach(p => forwarded.KnownProxies.Add(IPAddress.Parse(p)));
            proxy.KnownNetworks.ForEach(n => forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n)));
            // The middleware trusts a request without a remote address (a server that doesn't report one); here such
            // a request is from nobody known.
            app.UseWhen(http => http.Connection.RemoteIpAddress is not null, branch => branch.UseForwardedHeaders(forwarded));
        }

        var publicUrl = site.PublicBaseUrl is { } configured ? ParsePublicBaseUrl(configured) : null;
        if (publicUrl is not null)
        {
            var origin = new PublicOrigin(publicUrl.GetLeftPart(UriPartial.Authority), Cacheable: true);
            var host = new HostString(publicUrl.Authority);
            app.Use((http, next) =>
            {
                // Whatever Host the request named, the app answers as the public site: absolute URLs, redirects and
                // the output cache's key all use the configured host.
                http.Request.Host = host;
                http.Features.Set(origin);
                return next(http);
            });
        }
        else
        {
            var known = allowedHosts.Where(h => h != "*").ToList();
            OriginSeen? last = null;
            app.Use((http, next) =>
            {
                // Nearly every request names the host the one before it named: its origin is reused, not made again.
                var request = http.Request;
                var seen = Volatile.Read(ref last);
                var localPort = http.Connection.LocalPort;
                if (seen is null || !seen.Matches(request, localPort))
                {
                    seen = new OriginSeen(request.Scheme, request.Host.Value, request.PathBase.Value, localPort,
                        PublicOrigin.FromRequest(request, IsKnownHost(http, known)));
                    Volatile.Write(ref last, seen);
                }
                http.Features.Set(seen.Origin);
                return next(http);
            });
        }

        if (proxy.HttpsRedirection)
        {
            app.UseHttpsRedirection();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        return app;
    }

    /// <summary>The <c>AllowedHosts</c> setting as a list (semicolon-separated; <c>*</c> allows any).</summary>
    private static List<string> AllowedHosts(IConfiguration configuration) =>
        (configuration["AllowedHosts"] ?? "*").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The origin of the last request that needed a new one: it depends on these four and nothing else.</summary>
    private sealed record OriginSeen(string Scheme, string? Host, string? PathBase, int LocalPort, PublicOrigin Origin)
    {
        public bool Matches(HttpRequest request, int localPort) =>
            localPort == LocalPort
            && string.Equals(request.Host.Value, Host, StringComparison.Ordinal)
            && string.Equals(request.Scheme, Scheme, StringComparison.Ordinal)
            && string.Equals(request.PathBase.Value, PathBase, StringComparison.Ordinal);
    }

    /// <summary>
    /// Without a public base URL, the request's Host shows in the page, so the cache keys by it: only hosts the
    /// configuration names (AllowedHosts) and loopback ones (local use, the start's warm-up) get entries, with no
    /// port or the port the connection came in on.
    /// </summary>
    private static bool IsKnownHost(HttpContext http, List<string> known)
    {
        var host = http.Request.Host;
        if (host.Port is { } port && port != http.Connection.LocalPort)
        {
            return false;
        }
        var name = host.Host;
        return PublicOrigin.IsLoopback(name) || known.Any(pattern =>
            pattern.StartsWith("*.", StringComparison.Ordinal)
                ? name.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                : name.Equals(pattern, StringComparison.OrdinalIgnoreCase));
    }
}
