using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>
/// For <c>dotnet ef migrations add … --context PostgresNewsDbContext</c>: making a migration compares models and needs
/// no server, so the connection string only has to be well formed.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PostgresNewsDbContext>
{
    public PostgresNewsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(options, "Host=localhost;Database=povertynews_design");
        return new PostgresNewsDbContext(options.Options);
    }
}
