using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Operations.Health;
using StackExchange.Redis;

namespace PovertyNews.Web.Cluster;

/// <summary>
/// Several nodes behind a load balancer: with <see cref="ClusterOptions.Redis"/> set, this node connects to Redis,
/// announces its saves to the others and drops what they announce (<see cref="RedisClusterBus"/>). Rendered pages
/// stay in each node's memory: a Redis output-cache store was measured against this and lost (README, Scaling out).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalCaches>();
        var cluster = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        if (!cluster.Enabled)
        {
            services.AddSingleton<IClusterBus, SingleNodeBus>();
            return services;
        }
        services.AddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisClusterBus>>()));
        services.AddSingleton<RedisClusterBus>();
        services.AddSingleton<IClusterBus>(sp => sp.GetRequiredService<RedisClusterBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisClusterBus>());
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthSetup.ReadyTag]);
        return services;
    }

    /// <summary>
    /// Connects without waiting for Redis to be there: a node starts and serves without it, and the client reconnects
    /// in the background. Commands fail at once while it is away instead of queueing (a save must not hang on it).
    /// </summary>
    private static ConnectionMultiplexer Connect(ClusterOptions options, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
        configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 2000);
        configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, 2000);
        configuration.ClientName ??= options.Node;
        var redis = ConnectionMultiplexer.Connect(configuration);
        logger.LogInformation("Node {Node} connecting to Redis at {Endpoints}: {State}", options.Node,
            string.Join(", ", configuration.EndPoints), redis.IsConnected ? "connected" : "not reachable yet");
        return redis;
    }
}

/// <summary>Degraded while the node cannot hear the others: it serves, with staleness bounded by the fallback interval.</summary>
public sealed class ClusterHealthCheck(RedisClusterBus bus, IOptions<ClusterOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["node"] = options.Value.Node };
        if (bus.CutOffSince is { } since)
        {
            data["cutOffSeconds"] = (int)(time.GetUtcNow() - since).TotalSeconds;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Not hearing the other nodes through Redis since {since:u}: changes from other nodes show within {options.Value.FallbackInterval.TotalSeconds:0} s", data: data));
        }
        return Task.FromResult(HealthCheckResult.Healthy("Hears the other nodes through Redis.", data));
    }
}
