using Microsoft.AspNetCore.DataProtection;
using PovertyNews.Web.Data;
using PovertyNews.Web.Operations.Backup;
using PovertyNews.Web.Operations.Failures;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Operations.MediaCleanup;
using PovertyNews.Web.Operations.Metrics;
using PovertyNews.Web.Operations.Status;

namespace PovertyNews.Web.Operations;

/// <summary>Where the app keeps its files, for the parts of operations that look at them.</summary>
public sealed record OperationsPaths(string DataPath);

/// <summary>
/// What an operator relies on: storage failures a user can understand, media cleanup, backups, health, metrics and
/// the status page. The logs are registered with the logger (<c>AddLogs</c>), which comes first.
/// </summary>
public static class OperationsSetup
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder, string dataPath)
    {
        var services = builder.Services;
        services.AddSingleton(new OperationsPaths(dataPath));
        services.AddStorageFailures();
        services.AddMediaCleanup();
        services.AddBackups(dataPath, builder.Environment);
        // The key ring lives in the database: every node of a cluster shares it (a cookie or form from one node works on
        // the next), and a backup, a restore or a move to PostgreSQL carries it, so sign-ins survive them. The fixed
        // application name keeps keys valid across nodes whose content roots differ.
        services.AddDataProtection().SetApplicationName("PovertyNews").PersistKeysToDbContext<NewsDbContext>();
        services.AddOperationsHealth(dataPath);
        builder.AddOperationsMetrics();
        services.AddScoped<SystemStatus>();
        return builder;
    }
}
