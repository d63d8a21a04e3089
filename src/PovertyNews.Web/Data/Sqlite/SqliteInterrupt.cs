using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// Cancellation for SQLite statements that run long inside one step. Microsoft.Data.Sqlite checks its token only
/// between rows, and a <c>PRAGMA quick_check</c> or <c>integrity_check</c> reads the whole file before its first row:
/// a minute at a million articles, during which a stopping host waited out its whole shutdown timeout and the jobs
/// stopped after it got an already-cancelled token. Here the token interrupts the statement (<c>sqlite3_interrupt</c>),
/// and the interruption comes back as the <see cref="OperationCanceledException"/> the caller expects.
/// </summary>
public static class SqliteInterrupt
{
    public const int Interrupted = 9; // SQLITE_INTERRUPT

    /// <summary>Runs <paramref name="sql"/> on <paramref name="connection"/> and returns the first column of every row.</summary>
    public static async Task<List<string>> ReadLinesAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var lines = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0; // as long as the statement takes; the token is what stops it
        try
        {
            // Disposed before the connection goes back to anyone: an interrupt can only reach this statement
            // (disposing waits for a callback already running).
            using (ct.UnsafeRegister(static state => raw.sqlite3_interrupt(((SqliteConnection)state!).Handle), connection))
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    lines.Add(reader.GetString(0));
                }
            }
        }
        catch (SqliteException e) when (SqliteErrors.Primary(e) == Interrupted && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The statement was interrupted: the operation was cancelled.", e, ct);
        }
        return lines;
    }
}
