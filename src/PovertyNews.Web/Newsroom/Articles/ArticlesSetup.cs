using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Articles;

public static class ArticlesSetup
{
    /// <summary>The article editor and the sensitive-word check it and the review steps run on an article.</summary>
    public static IServiceCollection AddArticles(this IServiceCollection services)
    {
        services.AddScoped<ArticleEditor>();
        services.AddScoped<ArticleScreening>();
        services.AddScoped<IReaderTextGate, ReaderTextGate>();
        return services;
    }
}
