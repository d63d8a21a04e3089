using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Data;

/// <summary>
/// SQLite's result codes as the rules that read them mean them. Some calls (the backup API among them) hand back an
/// extended code in <see cref="SqliteException.SqliteErrorCode"/>, such as 261 (SQLITE_BUSY_RECOVERY) or 517
/// (SQLITE_BUSY_SNAPSHOT), so a comparison with 5 alone misses them; the primary code is the low byte.
/// </summary>
public static class SqliteErrors
{
    public const int Busy = 5;
    public const int Locked = 6;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int NotADatabase = 26;

    public static int Primary(SqliteException e) => e.SqliteErrorCode & 0xFF;

    /// <summary>Another connection holds a lock for a moment (a writer, a checkpoint, a log recovery): worth a retry.</summary>
    public static bool IsBusy(SqliteException e) => Primary(e) is Busy or Locked;

    /// <summary>SQLite stopped reading the file: a verdict on the file, not a failure to check it.</summary>
    public static bool IsDamaged(SqliteException e) => Primary(e) is Corrupt or NotADatabase;
}
