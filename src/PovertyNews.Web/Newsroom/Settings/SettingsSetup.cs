namespace PovertyNews.Web.Newsroom.Settings;

public static class SettingsSetup
{
    public static IServiceCollection AddSiteSettings(this IServiceCollection services) => services.AddScoped<SiteSettingsService>();
}
