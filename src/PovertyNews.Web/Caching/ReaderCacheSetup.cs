using System.IO.Compression;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Caching;

/// <summary>
/// The transport of reader pages: the framework's output cache with precise eviction (<see cref="CacheTags"/>),
/// Brotli and gzip compression, and validators for conditional GETs.
/// </summary>
public static class ReaderCacheSetup
{
    public static IServiceCollection AddReaderCache(this IServiceCollection services)
    {
        services.AddOptions<ReaderCacheOptions>().BindConfiguration(ReaderCacheOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<ReaderCacheOptions>>((output, reader) =>
        {
            output.SizeLimit = reader.Value.SizeLimitMegabytes * 1024L * 1024;
            output.MaximumBodySize = reader.Value.MaximumBodyKilobytes * 1024L;
            output.DefaultExpirationTimeSpan = reader.Value.Duration;
        });
        services.AddSingleton<ReaderCacheMetrics>();
        services.AddSingleton<ReaderCacheDoor>();
        DecorateStore(services);
        services.AddSingleton<ReaderCacheEviction>();
        services.AddSingleton<IPortalRebuildObserver>(sp => sp.GetRequiredService<ReaderCacheEviction>());
        services.AddSingleton<IInterceptor, CacheEvictionInterceptor>();

        services.AddResponseCompression(options =>
        {
            // Reader pages hold no secrets, so BREACH has nothing to extract; the newsroom, whose forms carry
            // antiforgery tokens next to reflected input, opts out under HTTPS (see UseReaderCache).
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(
                ["application/rss+xml", "application/xml", "image/svg+xml", "text/xml"]).Distinct().ToArray();
        });
        // Cached answers are compressed once and served many times, so the better ratio is worth its time.
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);

        // Global filters apply to Razor Pages as well.
        services.Configure<MvcOptions>(o => o.Filters.Add(new PageValidatorsFilter()));
        return services;
    }

    /// <summary>Puts <see cref="ConsistentOutputCacheStore"/> around the store AddOutputCache registered.</summary>
    private static void DecorateStore(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(registered);
        services.AddSingleton(sp => new ConsistentOutputCacheStore(
            (IOutputCacheStore)(registered.ImplementationFactory?.Invoke(sp)
                ?? registered.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<IHttpContextAccessor>(),
            sp.GetRequiredService<ReaderCacheMetrics>(),
            sp.GetRequiredService<ReaderDataCache>()));
        services.AddSingleton<ReaderDataCache>();
        services.AddSingleton<RelatedListCache>();
        services.AddSingleton<IOutputCacheStore>(sp => sp.GetRequiredService<ConsistentOutputCacheStore>());
        services.AddHttpContextAccessor();
    }

    /// <summary>
    /// Place after routing and authentication (the cache must know the endpoint and whether the visitor is signed in).
    /// </summary>
    public static IApplicationBuilder UseReaderCache(this IApplicationBuilder app)
    {
        var portal = app.ApplicationServices.GetRequiredService<PortalCache>();
        var store = app.ApplicationServices.GetRequiredService<ConsistentOutputCacheStore>();
        var door = app.ApplicationServices.GetRequiredService<ReaderCacheDoor>();
        app.UseViewCounting();
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<IOutputCachePolicy>() is not null)
            {
                // Cached pages show the portal snapshot; if it is stale (a change was announced, a scheduled article
                // fell due), rebuilding it now evicts what changed before this request looks into the cache. When it
                // is current this completes at once (and starts a background refresh once it is old).
                await portal.GetAsync(context.RequestAborted);
                store.Stamp(context);
            }
            // A plain request the door could not answer: if the cache answers it, the door keeps a copy.
            await door.CopyAsync(context, next);
        });
        app.UseOutputCache();
        app.UseResponseCompression();
        app.Use((context, next) =>
        {
            if (context.Request.IsHttps && context.Request.Path.StartsWithSegments("/admin")
                && context.Features.Get<IHttpsCompressionFeature>() is { } https)
            {
                https.Mode = HttpsCompressionMode.DoNotCompress;
            }
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Gives a page that is about to be cached an ETag and a Last-Modified. They are set before the page writes, so the
    /// cache keeps them with the entry and then answers If-None-Match and If-Modified-Since with 304 by itself. The
    /// tag names this rendering: each new rendering (after an eviction) gets a new one.
    /// </summary>
    private sealed class PageValidatorsFilter : IAsyncAlwaysRunResultFilter
    {
        public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
        {
            var http = context.HttpContext;
            // Not for an error page re-executed under a cached page's request: it is not the page that is cached.
            if (http.Response.StatusCode == StatusCodes.Status200OK && !http.Response.HasStarted
                && http.Features.Get<IStatusCodeReExecuteFeature>() is null
                && http.GetEndpoint()?.Metadata.GetMetadata<IOutputCachePolicy>() is not null
                && http.Features.Get<IOutputCacheFeature>()?.Context is { AllowCacheStorage: true })
            {
                var headers = http.Response.Headers;
                headers.ETag = $"\"{Guid.NewGuid():N}\"";
                headers.LastModified = HeaderUtilities.FormatDate(
                    http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
                headers.CacheControl = "public, no-cache";
            }
            return next();
        }
    }
}
