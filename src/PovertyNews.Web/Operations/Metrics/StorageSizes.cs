using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Media;

namespace PovertyNews.Web.Operations.Metrics;

/// <summary>
/// The size on disk of the database (with its write-ahead log) and of the media folder, as observable gauges and for
/// the status page. The media folder is walked at most every <see cref="MediaRecount"/>: with many thousands of
/// images a walk is not free, and a scrape every few seconds needs no fresher figure.
/// </summary>
public sealed class StorageSizes
{
    public const string DatabaseSizeName = "povertynews.database.size";
    public const string MediaSizeName = "povertynews.media.size";
    public static readonly TimeSpan MediaRecount = TimeSpan.FromMinutes(5);

    /// <summary>How long a PostgreSQL database size is reused: each is a query to the server.</summary>
    public static readonly TimeSpan DatabaseRecount = TimeSpan.FromMinutes(1);

    private readonly string? _databaseFile;
    private readonly string? _postgres;
    private (long? Bytes, DateTimeOffset At)? _postgresSize;
    private readonly string _mediaFolder;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private (long Bytes, DateTimeOffset At)? _media;

    public StorageSizes(IServiceScopeFactory scopes, MediaStore media, TimeProvider time, IMeterFactory meters)
    {
        _time = time;
        _mediaFolder = media.Folder;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            if (db.Database.IsSqlite() && new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource is { Length: > 0 } source
                && source != ":memory:" && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                _databaseFile = source;
            }
            else if (db.Database.IsNpgsql())
            {
                _postgres = db.Database.GetConnectionString();
            }
        }
        var meter = meters.Create(NewsMetrics.MeterName);
        meter.CreateObservableGauge(DatabaseSizeName, () => DatabaseBytes ?? 0, "By", "Size of the database file and its write-ahead log (on PostgreSQL, pg_database_size).");
        meter.CreateObservableGauge(MediaSizeName, MediaBytes, "By", "Size of the media folder (recounted every five minutes at most).");
    }

    /// <summary>
    /// The database file and its -wal; on PostgreSQL the database's size on the server (pg_database_size, asked at
    /// most every <see cref="DatabaseRecount"/>); null when neither is known.
    /// </summary>
    public long? DatabaseBytes => _databaseFile is not null ? Length(_databaseFile) + Length(_databaseFile + "-wal")
        : _postgres is not null ? PostgresBytes(_postgres) : null;

    private long? PostgresBytes(string connectionString)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_postgresSize is { } known && now - known.At < DatabaseRecount)
            {
                return known.Bytes;
            }
            long? bytes;
            try
            {
                using var connection = new Npgsql.NpgsqlConnection(connectionString);
                connection.Open();
                using var command = new Npgsql.NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
                bytes = (long)command.ExecuteScalar()!;
            }
            catch (Npgsql.NpgsqlException)
            {
                // The server is away: the status page and the gauge show no size rather than failing.
                bytes = null;
            }
            _postgresSize = (bytes, now);
            return bytes;
        }
    }

    public long MediaBytes()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_media is not { } known || now - known.At >= MediaRecount)
            {
                _media = known = (Walk(_mediaFolder), now);
            }
            return known.Bytes;
        }
    }

    private static long Length(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static long Walk(string folder)
    {
        try
        {
            return new DirectoryInfo(folder)
                .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
