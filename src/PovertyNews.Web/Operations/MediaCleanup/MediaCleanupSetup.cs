namespace PovertyNews.Web.Operations.MediaCleanup;

public static class MediaCleanupSetup
{
    public static IServiceCollection AddMediaCleanup(this IServiceCollection services)
    {
        services.AddOptions<MediaCleanupOptions>().BindConfiguration(MediaCleanupOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MediaCleaner>();
        services.AddSingleton<MediaCleanupService>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaCleanupService>());
        return services;
    }
}
