using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Articles;

public static class ArticlesSetup
{
    /// <summary>
    /// The article editor, the sensitive-word check it and the review steps run on an article, and the limit on
    /// concurrent previews.
    /// </summary>
    public static IServiceCollection AddArticles(this IServiceCollection services)
    {
        services.AddScoped<ArticleEditor>();
        services.AddScoped<PreviewLinks>();
        services.AddScoped<ArticleScreening>();
        services.AddScoped<IReaderTextGate, ReaderTextGate>();
        services.AddRateLimiter(options => options.AddPolicy<string, PreviewRateLimit>(PreviewRateLimit.Name));
        return services;
    }
}
