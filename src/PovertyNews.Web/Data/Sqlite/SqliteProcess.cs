using SQLitePCL;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// Settings of the SQLite library itself, for the whole process; they take effect only before its first connection.
/// </summary>
public static class SqliteProcess
{
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    private static int _result = -1;

    /// <summary>
    /// Turns off SQLite's memory statistics. The bundled library keeps them (it is built without
    /// SQLITE_DEFAULT_MEMSTATUS=0), so every allocation inside SQLite takes one mutex shared by all connections; parsing
    /// and planning a statement allocates dozens of times, and readers on two cores queued on that mutex (two clients
    /// of the uncached article page were served more slowly than one). Nothing in the app reads the statistics.
    /// </summary>
    /// <returns>SQLite's result code: 0, or 21 (misuse) when the library was already in use in this process.</returns>
    public static int TurnOffMemoryStatistics()
    {
        if (Volatile.Read(ref _result) < 0)
        {
            Batteries_V2.Init();
            Interlocked.CompareExchange(ref _result, raw.sqlite3_config(ConfigMemStatus, 0), -1);
        }
        return _result;
    }
}
