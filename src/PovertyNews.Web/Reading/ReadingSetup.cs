using PovertyNews.Web.Common;

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
        services.AddSingleton<IReadWindow, InMemoryReadWindow>();
        services.AddSingleton<ReadingMetrics>();
        services.AddSingleton<ViewFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewFlushService>());
        return services;
    }
}
