using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Search.Sqlite;

/// <summary>
/// An operating-system lock on <c>news.db.reindexing</c> while a rebuild runs. The system releases it when the process
/// dies, however it dies, so whoever can take it knows the rebuild tables in the database are a dead rebuild's, and
/// two rebuilds (a <c>reindex</c> and a <c>generate</c>, say) never fill the same tables.
/// </summary>
internal static class RebuildLock
{
    public static string? PathOf(NewsDbContext db) => SqliteStartGuards.FileOf(db) is { } file ? file + ".reindexing" : null;

    /// <summary>The lock, or null when another rebuild holds it. A database without a file has nothing to share.</summary>
    public static IDisposable? TryTake(NewsDbContext db)
    {
        if (PathOf(db) is not { } path)
        {
            return new NoLock();
        }
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class NoLock : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
