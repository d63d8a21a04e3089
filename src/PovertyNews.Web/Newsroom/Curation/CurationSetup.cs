namespace PovertyNews.Web.Newsroom.Curation;

public static class CurationSetup
{
    public static IServiceCollection AddCuration(this IServiceCollection services) => services.AddScoped<CurationService>();
}
