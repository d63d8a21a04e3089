using Microsoft.Data.Sqlite;
using Npgsql;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Operations.Failures;

public enum StorageFailureKind
{
    /// <summary>The disk (or the database's configured size) is full: SQLITE_FULL or ENOSPC.</summary>
    DiskFull,

    /// <summary>Another writer held the database past the busy timeout: SQLITE_BUSY or SQLITE_LOCKED; on PostgreSQL a lock timeout, deadlock or serialization failure.</summary>
    DatabaseBusy,

    /// <summary>The PostgreSQL server cannot be reached or is shutting down or starting (SQLSTATE class 08, 57P01–57P03).</summary>
    DatabaseUnavailable,
}

/// <summary>
/// A write that failed because the storage could not take it, not because of the request: the same request will
/// succeed once space is freed or the other writer is done, so the answer is 503 with Retry-After, not 500.
/// </summary>
public sealed record StorageFailure(StorageFailureKind Kind, int? SqliteErrorCode, int? SqliteExtendedErrorCode, string? SqlState = null)
{
    /// <summary>errno ENOSPC on Linux and macOS; .NET puts the raw errno into an IOException's HResult on Unix.</summary>
    private const int Enospc = 28;

    /// <summary>ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs, on Windows.</summary>
    private static readonly int[] WindowsDiskFull = [unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>Said to the user: the save did not happen, nothing is lost on their side, try again shortly.</summary>
    public const string Message = "保存没有完成：服务器暂时无法写入数据（存储空间不足或数据库繁忙）。您的内容没有保存，请保留本页内容，稍后再试。";

    /// <summary>The storage failure somewhere in <paramref name="exception"/>'s chain (EF Core wraps SQLite's), or null.</summary>
    public static StorageFailure? Recognize(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // A file SQLite must grow or map cannot be (the WAL index of a connection opened on a full disk
                // fails with SQLITE_IOERR_SHMSIZE, not SQLITE_FULL): the storage failed, not the request.
                case SqliteException full when SqliteErrors.Primary(full) is SqliteErrors.Full or SqliteErrors.IoError:
                    return new(StorageFailureKind.DiskFull, full.SqliteErrorCode, full.SqliteExtendedErrorCode);
                case SqliteException busy when SqliteErrors.IsBusy(busy):
                    return new(StorageFailureKind.DatabaseBusy, busy.SqliteErrorCode, busy.SqliteExtendedErrorCode);
                case IOException io when io.HResult == Enospc || WindowsDiskFull.Contains(io.HResult):
                    return new(StorageFailureKind.DiskFull, null, null);
                case PostgresException postgres when Postgres(postgres.SqlState) is { } kind:
                    return new(kind, null, null, postgres.SqlState);
                case NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } unreachable
                    when unreachable is not PostgresException:
                    // No answer from the server at all (refused, reset, timed out): nothing reached the database.
                    return new(StorageFailureKind.DatabaseUnavailable, null, null, null);
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Recognize).FirstOrDefault(f => f is not null);
            }
        }
        return null;
    }

    /// <summary>
    /// PostgreSQL's SQLSTATEs that say the storage, not the request, failed: disk full (53100), a server that is
    /// going away or not yet up (class 08, 57P01–57P03), lock timeouts, deadlocks and serialization failures.
    /// </summary>
    internal static StorageFailureKind? Postgres(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.DiskFull => StorageFailureKind.DiskFull,
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            => StorageFailureKind.DatabaseUnavailable,
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => StorageFailureKind.DatabaseUnavailable,
        PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            => StorageFailureKind.DatabaseBusy,
        _ => null,
    };
}
