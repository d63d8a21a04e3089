using Microsoft.Extensions.Options;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Common;
using StackExchange.Redis;

namespace PovertyNews.Web.Reading;

public static class ReadingSetup
{
    /// <summary>The reader side's data: the portal snapshot (also the channel directory) and view counting.</summary>
    public static IServiceCollection AddReading(this IServiceCollection services)
    {
        services.AddOptions<ReadingOptions>().BindConfiguration(ReadingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PortalCache>();
        services.AddSingleton<IChannelDirectory>(sp => sp.GetRequiredService<PortalCache>());
        services.AddSingleton<ViewCounter>();
        services.AddSingleton<InMemoryReadWindow>();
        // Shared by the nodes of a cluster (PovertyNews:Cluster:Redis), so a reader counts once whichever node answers.
        services.AddSingleton<IReadWindow>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            return cluster.Enabled
                ? new RedisReadWindow(sp.GetRequiredService<IConnectionMultiplexer>(), cluster.KeyPrefix,
                    sp.GetRequiredService<InMemoryReadWindow>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<IOptions<ReadingOptions>>(), sp.GetRequiredService<ILogger<RedisReadWindow>>())
                : sp.GetRequiredService<InMemoryReadWindow>();
        });
        services.AddSingleton<ReadingMetrics>();
        services.AddSingleton<ViewFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewFlushService>());
        return services;
    }
}
