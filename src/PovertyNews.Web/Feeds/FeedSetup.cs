namespace PovertyNews.Web.Feeds;

public static class FeedSetup
{
    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
