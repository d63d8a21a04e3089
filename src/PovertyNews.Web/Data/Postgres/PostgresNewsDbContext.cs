using Microsoft.EntityFrameworkCore;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>
/// The news database on PostgreSQL. The same model as <see cref="NewsDbContext"/>; a type of its own so that its
/// migrations (Data/Postgres/Migrations) are told apart from SQLite's, as EF Core's guide to migrations with several
/// providers does it. Everything else asks for <see cref="NewsDbContext"/>.
/// </summary>
public sealed class PostgresNewsDbContext(DbContextOptions<PostgresNewsDbContext> options) : NewsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        base.ConfigureConventions(builder);
        // Text compares and sorts by code point, as SQLite's BINARY does, whatever locale the server was set up with:
        // lists come out in the same order on both, and LIKE 'prefix%' can use a plain index.
        builder.Properties<string>().UseCollation("C");
    }
}
