using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Comments;
using PovertyNews.Web.Api;
using PovertyNews.Web.Common;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Feeds;
using PovertyNews.Web.Import;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Media;
using PovertyNews.Web.Media.Sharing;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Operations;
using PovertyNews.Web.Operations.Failures;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Operations.Logs;
using PovertyNews.Web.Operations.Metrics;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;
using PovertyNews.Web.Webhooks;
using Serilog;
using Serilog.Events;

namespace PovertyNews.Web;

public static class Extensions
{
    public static WebApplicationBuilder AddPovertyNews(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PovertyNewsOptions>().BindConfiguration(PovertyNewsOptions.SectionName);

        var dataPath = DataFolder.Resolve(builder.Configuration, builder.Environment);
        builder.AddLogging(dataPath);
        services.AddNewsDatabase(builder.Configuration, dataPath);
        services.AddSingleton(TimeProvider.System);

        services.AddHosting();
        services.AddMarkdown();
        services.AddReading();
        services.AddCluster(builder.Configuration);
        services.AddReaderCache();
        services.AddFeeds();
        services.AddSearch(builder.Configuration);
        services.AddImport();
        services.AddMedia(dataPath, builder.Environment);
        services.AddSharing();
        services.AddNewsroom();
        services.AddComments(dataPath);
        builder.AddOperations(dataPath);
        services.AddApi();
        services.AddWebhooks();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // MapStaticAssets serves the build's precompressed copies, which a build (unlike a publish) keeps under obj/;
        // the framework maps them only in Development, and `dotnet run` here is Production. Published output has no
        // such manifest, so this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        // With the build's manifest the framework also turns on its reloading of changed files, which answers every
        // asset with `Cache-Control: no-cache`; only Development edits wwwroot while running. Elsewhere `dotnet run`
        // serves what a published app serves: fingerprinted URLs cached for a year, precompressed.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        }
        services.AddSingleton<PovertyNews.Web.Pages.PortalFragments>();
        services.AddRazorPages(options =>
        {
            options.Conventions.AddPageRoute("/Error", "/error/{code:int?}");
            options.Conventions.ConfigureFilter(new MethodNotAllowedFilter()); // a POST to a page without OnPost: 405, not 500
            // The whole newsroom needs a signed-in user; each page then checks the role and the item.
            options.Conventions.AuthorizeFolder("/Admin");
            options.Conventions.AllowAnonymousToPage("/Admin/SignIn");
        });
        // Chinese text goes out as characters, not as &#x...; entities: a third of the bytes and readable source.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRouting(options => options.LowercaseUrls = true);
        return builder;
    }

    private static void AddLogging(this WebApplicationBuilder builder, string dataPath)
    {
        builder.Services.AddLogs();
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override(LogsSetup.HostingDiagnostics, LevelAlias.Off)
            .Enrich.FromLogContext()
            .Enrich.With(new RequestLogProperties(services.GetRequiredService<IHttpContextAccessor>()))
            .Filter.ByExcluding(FirstStart.IsUnencryptedKeyNotice)
            .Enrich.With<LogValueEscaping>()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteToLogFiles(services, dataPath)
            .ReadFrom.Services(services), // sinks registered in DI: RecentErrors (the status page's last warnings)
            // Each host logs through its own logger: without this the framework's loggers write to Serilog's static
            // logger, which the last host started in the process owns (a test run starts dozens side by side).
            preserveStaticLogger: true);
    }

    public static WebApplication UsePovertyNews(this WebApplication app)
    {
        app.UseOperationsMetrics();
        app.UseHosting();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500");
        }
        app.UseSecurityHeaders();
        app.UseReaderCacheDoor(); // repeated plain requests for cached pages, answered before the rest
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = RequestLogLevel;
            // The app's own logger, not the static one (the last host a test run started): its request-log file.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        app.UseClientAborts();
        app.UseStorageFailures();
        app.UseMediaFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseApi(); // the read API's CORS and key check: before the rate limiter and the cache
        app.UseRateLimiter();
        app.UseReaderCache();
        // Files the build does not know (added at run time) still come from wwwroot; known ones are endpoints below.
        app.UseStaticFiles();

        app.MapStaticAssets();
        app.MapOperationsHealth();
        app.MapFeeds();
        app.MapSiteIcons();
        app.MapReadingMode();
        app.MapMedia();
        app.MapSharing();
        app.MapApi();
        app.MapRazorPages().WithStaticAssets();
        return app;
    }

    /// <summary>
    /// Reads that went well are logged at Debug: at thousands of pages a second, a console line each would cost more
    /// than serving the page from the cache. Failures, slow answers and posts stay visible.
    /// </summary>
    internal static LogEventLevel RequestLogLevel(HttpContext http, double elapsedMilliseconds, Exception? error) =>
        error is not null ? LogEventLevel.Error
        // A 503 is a refusal the app chose (storage full or locked, readiness failing) and its part has already logged
        // why at Error; an Error line per retry or per load-balancer poll on top would bury the cause.
        : http.Response.StatusCode == StatusCodes.Status503ServiceUnavailable ? LogEventLevel.Warning
        : http.Response.StatusCode >= 500 ? LogEventLevel.Error
        // Nobody waits for the answer of a request its client abandoned; a crawl that hangs up must not fill the log.
        : http.Response.StatusCode == ClientAborts.ClientClosedRequest ? LogEventLevel.Debug
        // The start's own first render is slow by nature and reported by the start itself.
        : FirstStart.IsWarmUp(http) ? LogEventLevel.Debug
        : elapsedMilliseconds > 500 ? LogEventLevel.Warning
        : HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? LogEventLevel.Debug
        : LogEventLevel.Information;
}
