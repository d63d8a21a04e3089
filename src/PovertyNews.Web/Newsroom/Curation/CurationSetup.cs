namespace PovertyNews.Web.Newsroom.Curation;

public static class CurationSetup
{
    /// <summary>版面编排: the curated blocks and the sidebars' settings.</summary>
    public static IServiceCollection AddCuration(this IServiceCollection services)
    {
        services.AddScoped<CurationService>();
        services.AddScoped<SidebarSettingsService>();
        return services;
    }
}
