namespace PovertyNews.Web.Newsroom.Analytics;

public static class AnalyticsSetup
{
    /// <summary>传播数据: the read statistics (scoped: they query through the request's DbContext). The charts are static functions.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddScoped<ReadStatistics>();
        return services;
    }
}
