namespace PovertyNews.Web.Newsroom.SensitiveWords;

public static class SensitiveWordsSetup
{
    /// <summary>敏感词: the compiled list (one per process), the article check and the list's administration.</summary>
    public static IServiceCollection AddSensitiveWords(this IServiceCollection services)
    {
        services.AddSingleton<SensitiveWordCache>();
        services.AddScoped<ArticleScreening>();
        services.AddScoped<SensitiveWordAdmin>();
        return services;
    }
}
