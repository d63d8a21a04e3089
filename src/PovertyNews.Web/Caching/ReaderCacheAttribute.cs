using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Output caching for a reader page or feed: anonymous GET and HEAD answers with status 200 and no cookie are kept
/// until something they show changes (see <see cref="CacheTags"/>), or at the latest for
/// <see cref="ReaderCacheOptions.Duration"/>. Signed-in staff neither get cached answers nor add to the cache.
/// </summary>
/// <remarks>
/// Entries vary only by the query values the page reads (<paramref name="queryKeys"/>, read with <see cref="ReaderQuery"/> as the
/// page reads them) and by the content coding the compression middleware will choose, so <c>?x=…</c>
/// or an odd Accept-Encoding does not make new entries. Concurrent misses for one entry wait for a single render.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class ReaderCacheAttribute(params string[] queryKeys) : Attribute, IOutputCachePolicy
{
    /// <summary>Tags every answer of this endpoint carries, besides those the page adds while it renders.</summary>
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
        var attempt = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && StringValues.IsNullOrEmpty(request.Headers.Authorization)
            && http.User.Identity?.IsAuthenticated != true
            // A page names its host in absolute URLs: a Host nobody configured gets no entry (and can't fill the cache).
            && PublicOrigin.Of(http).Cacheable;
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = attempt;
        context.AllowCacheStorage = attempt;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = options.Duration;

        var vary = context.CacheVaryByRules;
        vary.QueryKeys = StringValues.Empty;
        // The page reads these values with the same ReaderQuery methods, so the key names exactly what it renders.
        foreach (var key in queryKeys)
        {
            if (ReaderQuery.KeyValue(request.Query, key) is { } value)
            {
                vary.VaryByValues[key] = value;
            }
        }
        vary.VaryByValues["encoding"] = ChosenEncoding(http);
        // 适老化 modes render the same page with other classes and switch states: a few known keys, never free text.
        if (ReadingMode.Of(request) is { IsStandard: false } mode)
        {
            vary.VaryByValues["mode"] = mode.Key;
        }

        context.Tags.Add(CacheTags.Reader);
        context.Tags.UnionWith(Tags);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        // A cookie (antiforgery, a refreshed sign-in) belongs to one visitor; anything but 200 is not worth keeping.
        if (!StringValues.IsNullOrEmpty(http.Response.Headers.SetCookie)
            || http.User.Identity?.IsAuthenticated == true
            || http.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The content coding the compression middleware will pick for this request, as the cache key needs it.</summary>
    private static string ChosenEncoding(HttpContext http)
    {
        var compression = http.RequestServices.GetService<IResponseCompressionProvider>();
        return compression is not null && compression.CheckRequestAcceptsCompression(http)
            ? compression.GetCompressionProvider(http)?.EncodingName ?? "identity"
            : "identity";
    }
}
