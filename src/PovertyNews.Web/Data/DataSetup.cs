using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Data;

public static class DataSetup
{
    /// <summary>
    /// The news database on the configured provider, with every feature's save interceptors in their
    /// <see cref="SavePipeline"/> order. Services ask for <see cref="NewsDbContext"/> whichever it is.
    /// </summary>
    /// <remarks>
    /// Contexts are pooled: the options are built once and a context is reset and handed out again instead of set up
    /// for every request, which was an eighth of an uncached article page's processor time. The save interceptors
    /// are singletons and keep nothing a reset context could carry into its next request beyond a save that never
    /// committed, which at worst evicts a few cache tags once more.
    /// </remarks>
    public static IServiceCollection AddNewsDatabase(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        var database = DatabaseOptions.Read(configuration);
        // From the one parse above (which also knows "Postgres" and "Npgsql"), not bound a second time.
        services.AddOptions<DatabaseOptions>().Configure(o => o.Provider = database.Provider);
        var configured = configuration.GetConnectionString("News");
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var connectionString = PostgresDatabase.ResolveConnectionString(configured);
            services.AddDbContextPool<NewsDbContext, PostgresNewsDbContext>((sp, options) =>
            {
                PostgresDatabase.Configure(options, connectionString);
                options.AddSavePipeline(sp);
            });
            services.AddSingleton(SqliteStatements.None);
            return services;
        }
        SqliteProcess.TurnOffMemoryStatistics();
        var sqlite = SqliteDatabase.ResolveConnectionString(configured, dataPath);
        services.AddDbContextPool<NewsDbContext>((sp, options) =>
        {
            SqliteDatabase.Configure(options, sqlite);
            options.AddSavePipeline(sp);
        });
        // Made by the container, so it closes the statements' connections when the app stops.
        services.AddSingleton(_ => new SqliteStatements(sqlite));
        return services;
    }
}
