using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>Everything that knows the database is PostgreSQL: the counterpart of <see cref="Sqlite.SqliteDatabase"/>.</summary>
public static class PostgresDatabase
{
    /// <summary>The configured connection string, checked; a missing one stops the start with what to set.</summary>
    public static string ResolveConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "PovertyNews:Database:Provider is PostgreSql but ConnectionStrings:News is not set, e.g. " +
                "ConnectionStrings__News=\"Host=127.0.0.1;Port=5432;Database=povertynews;Username=povertynews;Password=…\".");
        }
        var builder = new NpgsqlConnectionStringBuilder(configured);
        // Named in pg_stat_activity, so a database administrator can tell the site's connections from others.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "PovertyNews";
        }
        return builder.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsAssembly(typeof(PostgresDatabase).Assembly.FullName)
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
}
