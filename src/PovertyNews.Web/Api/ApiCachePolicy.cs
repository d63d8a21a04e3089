using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Api;

/// <summary>
/// The reader cache for API answers: the same store, tags and eviction as the pages (<see cref="CacheTags"/>), so a
/// save evicts the API's answers with the pages showing the same thing. Unlike <see cref="ReaderCacheAttribute"/> a
/// request with a key (Authorization or X-Api-Key) is served from the cache too: every key sees the same public data.
/// The key is checked and counted and the rate limit applied before the cache answers (see ApiSetup.UseApi), and only
/// 200s are kept, so one caller's 401 or 429 never reaches another.
/// </summary>
public sealed class ApiCachePolicy(params string[] queryKeys) : IOutputCachePolicy
{
    /// <summary>Every cached API answer, for an operator who wants them all gone.</summary>
    public const string ApiTag = "api";

    public string[] Tags { get; init; } = [];

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<ReaderCacheOptions>>().Value;
        if (!options.Enabled)
        {
            context.EnableOutputCaching = false;
            return ValueTask.CompletedTask;
        }
        var request = http.Request;
        var attempt = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && PublicOrigin.Of(http).Cacheable;
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = attempt;
        context.AllowCacheStorage = attempt;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = options.Duration;

        var vary = context.CacheVaryByRules;
        vary.QueryKeys = Microsoft.Extensions.Primitives.StringValues.Empty;
        foreach (var key in queryKeys)
        {
            // All values as the handler's binding reads them (joined), so ?tag=a&tag=b never shares ?tag=a's entry.
            if (request.Query.TryGetValue(key, out var values))
            {
                vary.VaryByValues[key] = values.ToString();
            }
        }
        vary.VaryByValues["encoding"] = ChosenEncoding(http);
        // CORS headers are part of the stored answer: one entry per answer the CORS policy gives (allowed origin or none).
        vary.VaryByValues["cors"] = ApiCors.CacheKey(http);

        context.Tags.Add(CacheTags.Reader);
        context.Tags.Add(ApiTag);
        context.Tags.UnionWith(Tags);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }

    private static string ChosenEncoding(HttpContext http)
    {
        var compression = http.RequestServices.GetService<IResponseCompressionProvider>();
        return compression is not null && compression.CheckRequestAcceptsCompression(http)
            ? compression.GetCompressionProvider(http)?.EncodingName ?? "identity"
            : "identity";
    }
}
