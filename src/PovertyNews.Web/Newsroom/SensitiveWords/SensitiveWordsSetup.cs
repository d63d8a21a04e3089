namespace PovertyNews.Web.Newsroom.SensitiveWords;

public static class SensitiveWordsSetup
{
    /// <summary>敏感词: the compiled list (one per process), and the list's administration.</summary>
    public static IServiceCollection AddSensitiveWords(this IServiceCollection services)
    {
        services.AddSingleton<SensitiveWordCache>();
        services.AddScoped<SensitiveWordAdmin>();
        services.AddScoped<TextScreening>();
        return services;
    }
}
