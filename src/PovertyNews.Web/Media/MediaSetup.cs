using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Media;

public static class MediaSetup
{
    /// <summary>Names never change their content, so browsers and proxies may keep them for a year without asking.</summary>
    public const string CacheControl = "public, max-age=31536000, immutable";

    /// <summary>How much of a connection's incoming bytes Kestrel buffers before the app reads them (see <see cref="AddMedia"/>).</summary>
    public const long MaxReadAhead = 64 * 1024;

    public static IServiceCollection AddMedia(this IServiceCollection services, string dataPath, IHostEnvironment environment)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImageProcessor>();
        // Kestrel's socket transport reads each connection ahead of the app up to this much (default 1 MB) into 4 KB
        // blocks of its pinned memory pool, which keeps the blocks once they are returned and gives back about 1 % of
        // them every 10 s while busy: 32 uploads sending faster than the app read them left 8,179 blocks (32 MB) on the
        // pinned heap. Kestrel's own MaxRequestBufferSize at 64 KB left the pool as full: this is the buffer that fills.
        services.Configure<SocketTransportOptions>(sockets => sockets.MaxReadBufferSize = MaxReadAhead);
        // Before the first image is decoded: see NativeHeap for what 32 uploads otherwise leave in the process.
        NativeHeap.KeepLargeBuffersMapped();
        services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<MediaOptions>>().Value.Path;
            var folder = string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(dataPath, "media")
                : Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
            return new MediaStore(folder);
        });
        services.AddSingleton<MediaImages>();
        services.AddScoped<MediaLibrary>();
        services.AddScoped<Common.IContentMedia>(sp => sp.GetRequiredService<MediaLibrary>());
        return services;
    }

    /// <summary>Serves <c>/media/{name}</c> from the library's folder with a year's cache and the right content type.</summary>
    public static IApplicationBuilder UseMediaFiles(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<MediaStore>();
        var removed = store.SweepTemporaryFiles(DateTime.UtcNow.AddHours(-1));
        if (removed > 0)
        {
            app.Logger.LogWarning("Removed {Count} temporary media files left by interrupted uploads", removed);
        }
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Clear();
        types.Mappings[".jpg"] = "image/jpeg";
        types.Mappings[".png"] = "image/png";
        types.Mappings[".webp"] = "image/webp";
        // Videos are served by the same middleware, which answers Range requests (206 with Content-Range, 416 for a
        // range past the end) and conditional ones (ETag, Last-Modified). It runs before the output cache and response
        // compression, and video/* is not among the compressed types, so neither touches a byte range.
        types.Mappings[".mp4"] = VideoContainer.Mp4ContentType;
        types.Mappings[".webm"] = VideoContainer.WebmContentType;
        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/media",
            // The default exclusions hide dot-files, so the temporary folder is never served.
            FileProvider = new PhysicalFileProvider(store.Folder),
            ContentTypeProvider = types,
            OnPrepareResponse = context => SetHeaders(context.Context.Response),
        });
    }

    /// <summary>
    /// A rendition that is not on disk (a width configured after the image was uploaded) is made once, stored and
    /// served; the next request finds the file. Only configured widths narrower than the original are made.
    /// </summary>
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/media/{name}", async (string name, MediaStore store, ImageProcessor processor,
            IOptions<MediaOptions> options, HttpResponse response, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!MediaName.TryParse(name, out var parsed) || parsed.Value.RenditionWidth is not { } width
                || !options.Value.Widths.Contains(width) || width >= parsed.Value.Width
                || store.OriginalOf(parsed.Value.Key) is not { } original
                || original.EndsWith(".mp4", StringComparison.Ordinal) || original.EndsWith(".webm", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }
            var path = store.PathOf(parsed.Value);
            if (!File.Exists(path))
            {
                using var rendition = await processor.MakeRenditionAsync(original, width, ct);
                store.Save([(parsed.Value, rendition.Encoded)]);
                loggers.CreateLogger(typeof(MediaSetup)).LogInformation("Made missing rendition {Name}", parsed.Value.FileName);
            }
            SetHeaders(response);
            return Results.File(path, "image/webp");
        });
        return endpoints;
    }

    private static void SetHeaders(HttpResponse response)
    {
        response.Headers[HeaderNames.CacheControl] = CacheControl;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
    }
}
