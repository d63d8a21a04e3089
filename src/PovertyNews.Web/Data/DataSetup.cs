using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Data;

public static class DataSetup
{
    /// <summary>
    /// The news database on the configured provider, with every feature's save interceptors in their
    /// <see cref="SavePipeline"/> order. Services ask for <see cref="NewsDbContext"/> whichever it is.
    /// </summary>
    public static IServiceCollection AddNewsDatabase(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        var database = DatabaseOptions.Read(configuration);
        // From the one parse above (which also knows "Postgres" and "Npgsql"), not bound a second time.
        services.AddOptions<DatabaseOptions>().Configure(o => o.Provider = database.Provider);
        var configured = configuration.GetConnectionString("News");
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var connectionString = PostgresDatabase.ResolveConnectionString(configured);
            services.AddDbContext<NewsDbContext, PostgresNewsDbContext>((sp, options) =>
            {
                PostgresDatabase.Configure(options, connectionString);
                options.AddSavePipeline(sp);
            });
            return services;
        }
        var sqlite = SqliteDatabase.ResolveConnectionString(configured, dataPath);
        services.AddDbContext<NewsDbContext>((sp, options) =>
        {
            SqliteDatabase.Configure(options, sqlite);
            options.AddSavePipeline(sp);
        });
        return services;
    }
}
