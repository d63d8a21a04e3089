using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// For <c>dotnet ef migrations add … --context NewsDbContext</c>: without it the tools take PostgreSQL's factory (its
/// context derives from this one) and write a PostgreSQL migration among SQLite's.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NewsDbContext>
{
    public NewsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<NewsDbContext>();
        SqliteDatabase.Configure(options, "Data Source=design.db");
        return new NewsDbContext(options.Options);
    }
}
