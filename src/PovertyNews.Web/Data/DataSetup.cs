using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Data;

public static class DataSetup
{
    /// <summary>The news database, with every feature's save interceptors in their <see cref="SavePipeline"/> order.</summary>
    public static IServiceCollection AddNewsDatabase(this IServiceCollection services, string connectionString)
    {
        services.AddDbContext<NewsDbContext>((sp, options) =>
        {
            SqliteDatabase.Configure(options, connectionString);
            options.AddSavePipeline(sp);
        });
        return services;
    }
}
