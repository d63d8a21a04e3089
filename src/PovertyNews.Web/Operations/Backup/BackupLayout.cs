using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Media;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// The files a site consists of: the SQLite database (search index included), the media folder and the
/// data-protection keys. Logs, the media folder's temporary uploads and the backups themselves are not part of it.
/// On PostgreSQL, <see cref="PostgresConnection"/> names the database instead of <see cref="DatabaseFile"/>.
/// </summary>
public sealed record BackupLayout(string DatabaseFile, string MediaFolder, string KeysFolder, string? PostgresConnection = null)
{
    public const string KeysFolderName = "keys";

    /// <summary>Where the database is, for messages: the data folder, or the PostgreSQL database and server.</summary>
    public string DatabaseLocation => PostgresConnection is { } connection
        ? new Npgsql.NpgsqlConnectionStringBuilder(connection) is var b ? $"PostgreSQL database {b.Database} on {b.Host}:{b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : ""
        : Path.GetDirectoryName(DatabaseFile)!;

    /// <summary>The standard layout inside one data folder, as a site with default settings has it.</summary>
    public static BackupLayout InDataFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        return new(Path.Combine(full, "news.db"), Path.Combine(full, "media"), Path.Combine(full, KeysFolderName));
    }

    /// <summary>The running configuration's files: the database of the connection string, the configured media folder.</summary>
    public static BackupLayout Configured(IServiceProvider services, string dataPath)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        if (db.Database.IsNpgsql())
        {
            // The data folder still holds media/ and keys/; the database is the connection's.
            return new(Path.Combine(Path.GetFullPath(dataPath), "news.db"), services.GetRequiredService<MediaStore>().Folder,
                Path.Combine(dataPath, KeysFolderName), db.Database.GetConnectionString());
        }
        var file = SqliteStartGuards.FileOf(db)
            ?? throw new InvalidOperationException("The database is not an SQLite file; back it up with its own tools.");
        return new(file, services.GetRequiredService<MediaStore>().Folder, Path.Combine(dataPath, KeysFolderName));
    }
}

/// <summary>The table names the manifest counts, taken from the app's model so a renamed table cannot be missed.</summary>
public sealed record BackupTables(string Articles, string Users, string Revisions, string Media)
{
    public static BackupTables From(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<NewsDbContext>().Model;
        string Table<T>() => model.FindEntityType(typeof(T))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no table");
        return new(Table<Domain.Article>(), Table<Domain.NewsUser>(), Table<Domain.ArticleRevision>(), Table<Domain.MediaItem>());
    }

    /// <summary>Migrations this version of the app knows, oldest first.</summary>
    public static IReadOnlyList<string> KnownMigrations(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<NewsDbContext>().Database.GetMigrations().ToList();
    }
}
