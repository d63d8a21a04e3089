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

    private readonly string? _databaseFile;
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
        }
        var meter = meters.Create(NewsMetrics.MeterName);
        meter.CreateObservableGauge(DatabaseSizeName, () => DatabaseBytes ?? 0, "By", "Size of the database file and its write-ahead log.");
        meter.CreateObservableGauge(MediaSizeName, MediaBytes, "By", "Size of the media folder (recounted every five minutes at most).");
    }

    /// <summary>The database file and its -wal; null when the database is not a local file.</summary>
    public long? DatabaseBytes => _databaseFile is null ? null : Length(_databaseFile) + Length(_databaseFile + "-wal");

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
