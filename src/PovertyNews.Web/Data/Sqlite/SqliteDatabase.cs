using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// Everything that knows the database is SQLite lives here, so a PostgreSQL provider can take its place
/// without touching pages or services.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>
    /// Resolves a relative Data Source against the data folder, so the database lands in the same place
    /// whatever the working directory of <c>dotnet run</c> is.
    /// </summary>
    public static string ResolveConnectionString(string? configured, string dataPath)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=news.db" : configured);
        var source = builder.DataSource;
        var inMemory = source == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (!inMemory && !Path.IsPathRooted(source))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(dataPath, source));
        }
        if (!inMemory)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteDatabase).Assembly.FullName));

    /// <summary>
    /// Write-ahead logging lets readers go on while an editor saves; it is a property of the database file,
    /// so setting it once at start is enough.
    /// </summary>
    public static async Task PrepareAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection { DataSource: var source } && source != ":memory:" && source.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
