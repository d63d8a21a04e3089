using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Api;

/// <summary>
/// Which browser origins may read the API (<see cref="ApiOptions.AllowedOrigins"/>), through the framework's CORS
/// middleware. No origins configured: a policy that allows none, so no CORS header is ever sent.
/// </summary>
public static class ApiCors
{
    public const string PolicyName = "api";

    public static void Configure(CorsOptions cors, ApiOptions api)
    {
        cors.AddPolicy(PolicyName, policy =>
        {
            if (api.AllowsAnyOrigin)
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. api.AllowedOrigins]);
            }
            policy.WithMethods(HttpMethods.Get, HttpMethods.Head)
                .WithHeaders("Authorization", "X-Api-Key", "If-None-Match")
                .WithExposedHeaders("ETag", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        });
    }

    /// <summary>What the CORS policy answers this request with, as the cache key needs it: "*", the allowed origin, or "none".</summary>
    public static string CacheKey(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return "none";
        }
        var api = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        return api.AllowsAnyOrigin ? "*"
            : api.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase) ? origin.ToLowerInvariant()
            : "none";
    }
}
