namespace PovertyNews.Web.Newsroom.SavedSearches;

public static class SavedSearchesSetup
{
    /// <summary>保存的检索: the writes, and the job that runs the alerting ones over newly published reports.</summary>
    public static IServiceCollection AddSavedSearches(this IServiceCollection services)
    {
        services.AddOptions<SavedSearchOptions>().BindConfiguration(SavedSearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SavedSearchService>();
        services.AddSingleton<SavedSearchAlerts>();
        services.AddHostedService(sp => sp.GetRequiredService<SavedSearchAlerts>());
        return services;
    }
}
