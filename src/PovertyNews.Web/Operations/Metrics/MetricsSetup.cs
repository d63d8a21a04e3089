using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Operations.Metrics;

/// <summary>
/// OpenTelemetry metrics: requests by route (ASP.NET Core's <c>http.server.request.duration</c>), the runtime, and the
/// app's own meter (<see cref="NewsMetrics"/>: output-cache hits and misses, search time, scheduled publishing, view
/// flushes, storage sizes), exported for Prometheus on a port of their own when <see cref="MetricsOptions.Enabled"/>.
/// <see cref="SiteActivity"/> keeps what the admin status page shows, with or without the exporter.
/// </summary>
public static class MetricsSetup
{
    public static WebApplicationBuilder AddOperationsMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestRateHistory>();
        services.AddSingleton<StorageSizes>();
        services.AddSingleton<SiteActivity>();

        var settings = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!settings.Enabled)
        {
            return builder;
        }
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(NewsMetrics.MeterName)
            .AddPrometheusExporter());
        ListenOnMetricsPort(builder, settings);
        return builder;
    }

    /// <summary>
    /// Adds the metrics port to the addresses the server listens on. An endpoint added in code would replace the
    /// configured URLs (Kestrel then ignores <c>urls</c> / <c>ASPNETCORE_URLS</c>), so the port is added where the
    /// site's own addresses are configured: to <c>Kestrel:Endpoints</c> when that is used, else to <c>urls</c>.
    /// </summary>
    private static void ListenOnMetricsPort(WebApplicationBuilder builder, MetricsOptions settings)
    {
        var host = settings.ListenAddress.Contains(':') && !settings.ListenAddress.StartsWith('[')
            ? $"[{settings.ListenAddress}]" : settings.ListenAddress;
        var url = $"http://{host}:{settings.Port}";
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            configuration["Kestrel:Endpoints:PovertyNewsMetrics:Url"] = url;
            return;
        }
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            // What the server would have used without the metrics port: the http(s)_ports settings, else its default.
            var ports = Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).ToList();
            urls = ports.Count > 0 ? string.Join(';', ports) : "http://localhost:5000";
        }
        builder.WebHost.UseUrls($"{urls};{url}");
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");

    /// <summary>Whether a server address is the metrics port's (not the site's, for the start's announcement and warm-up).</summary>
    public static bool IsMetricsAddress(IServiceProvider services, string address)
    {
        var settings = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        return settings.Enabled && BindingAddress.Parse(address).Port == settings.Port;
    }

    /// <summary>
    /// First in the pipeline: a request that arrived on the metrics port gets the scrape or a 404, and nothing of the
    /// site; the site's ports never serve the scrape. The check is on the port the connection came in on, not on the
    /// Host header, which any client can set.
    /// </summary>
    public static WebApplication UseOperationsMetrics(this WebApplication app)
    {
        // Made now, so the status page counts from the first request.
        app.Services.GetRequiredService<SiteActivity>();
        var settings = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!settings.Enabled)
        {
            return app;
        }
        var port = settings.Port;
        var path = new PathString(settings.Path);
        app.MapWhen(http => http.Connection.LocalPort == port, metricsPort =>
        {
            metricsPort.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == path);
            metricsPort.Run(http =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }
}
