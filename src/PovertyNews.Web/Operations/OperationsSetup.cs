using PovertyNews.Web.Operations.Status;

namespace PovertyNews.Web.Operations;

/// <summary>Where the app keeps its files, for the parts of operations that look at them.</summary>
public sealed record OperationsPaths(string DataPath);

public static class OperationsSetup
{
    public static IServiceCollection AddOperations(this IServiceCollection services, string dataPath)
    {
        services.AddSingleton(new OperationsPaths(dataPath));
        services.AddScoped<SystemStatus>();
        return services;
    }
}
