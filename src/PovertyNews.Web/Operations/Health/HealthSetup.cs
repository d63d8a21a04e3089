using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Media;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// <c>/healthz/live</c>: the process answers. <c>/healthz/ready</c> (and <c>/healthz</c>): the site can serve and
/// save: the database reads real rows and passed its last quick_check, the search index holds every article, the
/// data and media folders take a file, and their disks have room. Built on the framework's health checks; answers
/// are cached for a few seconds (<see cref="CachedHealthCheckService"/>).
/// </summary>
public static class HealthSetup
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>The readiness checks; pass this (the same delegate) to share the endpoints' cached report.</summary>
    public static readonly Func<HealthCheckRegistration, bool> Ready = r => r.Tags.Contains(ReadyTag);

    public static readonly Func<HealthCheckRegistration, bool> Live = r => r.Tags.Contains(LiveTag);

    public static IServiceCollection AddOperationsHealth(this IServiceCollection services, string dataPath)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DatabaseIntegrity>();
        services.AddStartupGate();
        services.AddHostedService<IntegrityCheckService>();
        services.AddExceptionHandler<DatabaseDamageHandler>();

        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process answers."), [LiveTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<IntegrityHealthCheck>("integrity", tags: [ReadyTag])
            .AddCheck<SearchIndexHealthCheck>("search-index", tags: [ReadyTag])
            .Add(new HealthCheckRegistration("data-folder", _ => new FolderWritableHealthCheck("data folder", dataPath),
                HealthStatus.Unhealthy, [ReadyTag], timeout: null))
            .Add(new HealthCheckRegistration("media-folder",
                sp => new FolderWritableHealthCheck("media folder", sp.GetRequiredService<MediaStore>().Folder),
                HealthStatus.Unhealthy, [ReadyTag], timeout: null))
            .Add(new HealthCheckRegistration("disk-space", sp => new DiskSpaceHealthCheck(
                    [("data folder", dataPath), ("media folder", sp.GetRequiredService<MediaStore>().Folder)],
                    sp.GetRequiredService<IOptions<HealthOptions>>().Value.MinimumFreeDiskMegabytes),
                HealthStatus.Unhealthy, [ReadyTag], timeout: null));
        // After the registrations above (options actions run in order), so the configured timeout reaches them.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<HealthOptions>>((checks, health) =>
        {
            foreach (var registration in checks.Registrations.Where(r => r.Tags.Contains(ReadyTag)))
            {
                registration.Timeout = health.Value.CheckTimeout;
            }
        });
        DecorateHealthCheckService(services);
        return services;
    }

    private static void DecorateHealthCheckService(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(HealthCheckService));
        services.Remove(registered);
        services.AddSingleton(sp => new CachedHealthCheckService(
            (HealthCheckService)(registered.ImplementationFactory?.Invoke(sp)
                ?? registered.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptionsMonitor<HealthOptions>>()));
        services.AddSingleton<HealthCheckService>(sp => sp.GetRequiredService<CachedHealthCheckService>());
    }

    public static IEndpointRouteBuilder MapOperationsHealth(this IEndpointRouteBuilder endpoints)
    {
        var live = new HealthCheckOptions { Predicate = Live, ResponseWriter = WriteAsync };
        var ready = new HealthCheckOptions { Predicate = Ready, ResponseWriter = WriteAsync };
        endpoints.MapHealthChecks("/healthz/live", live);
        endpoints.MapHealthChecks("/healthz/ready", ready);
        endpoints.MapHealthChecks("/healthz", ready);
        return endpoints;
    }

    /// <summary>
    /// The overall status and each check's status and one-line description: what an operator needs to act, without
    /// exception texts (which may name paths) or anything else.
    /// </summary>
    private static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
