using Microsoft.EntityFrameworkCore.Diagnostics;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Search.Postgres;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Web.Search;

public static class SearchSetup
{
    /// <summary>
    /// The full-text index (kept in each save's transaction by its interceptor), the search service, and the check
    /// that compares the index with the articles once the site has started. The index is the configured database's.
    /// </summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        if (DatabaseOptions.Read(configuration).Provider == DatabaseProvider.PostgreSql)
        {
            services.AddSingleton<ISearchIndex, PostgresSearchIndex>();
        }
        else
        {
            services.AddSingleton<ISearchIndex, SqliteSearchIndex>();
        }
        services.AddSingleton<IInterceptor, SearchIndexInterceptor>();
        services.AddScoped<ArticleSearch>();
        services.AddScoped<ISavedQueryMatcher, SavedQueryMatcher>();
        services.AddSingleton<SearchIndexStatus>();
        services.AddSingleton<ISearchIndexStatus>(sp => sp.GetRequiredService<SearchIndexStatus>());
        services.AddStartupGate();
        services.AddSingleton<SearchIndexCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchIndexCheck>());
        services.AddSingleton<SearchMetrics>();
        // 同义词: the table every search expands its terms with (one per process), and its administration.
        services.AddSingleton<SynonymCache>();
        services.AddScoped<SynonymAdmin>();
        return services;
    }
}
