using Microsoft.EntityFrameworkCore.Diagnostics;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Web.Search;

public static class SearchSetup
{
    /// <summary>The full-text index (kept in each save's transaction by its interceptor) and the search service.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISearchIndex, SqliteSearchIndex>();
        services.AddSingleton<IInterceptor, SearchIndexInterceptor>();
        services.AddScoped<ArticleSearch>();
        services.AddSingleton<SearchMetrics>();
        return services;
    }
}
