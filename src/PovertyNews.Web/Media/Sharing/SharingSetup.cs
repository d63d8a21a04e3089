namespace PovertyNews.Web.Media.Sharing;

public static class SharingSetup
{
    public static IServiceCollection AddSharing(this IServiceCollection services)
    {
        services.AddOptions<ShareOptions>().BindConfiguration(ShareOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ShareImages>();
        return services;
    }
}
