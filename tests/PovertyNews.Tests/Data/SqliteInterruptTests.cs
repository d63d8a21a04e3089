using Microsoft.Data.Sqlite;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Tests.Data;

/// <summary>
/// A statement that works inside one step (as <c>PRAGMA quick_check</c> does over a large file) stops when its token
/// is cancelled, instead of running to its end while a stopping host waits.
/// </summary>
public sealed class SqliteInterruptTests : IDisposable
{
    // Counts to ten billion before its only row: minutes of work in its first step, as a quick_check of a large file.
    private const string LongStatement =
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000000000) SELECT CAST(max(x) AS TEXT) FROM n";

    private const int TimeoutSeconds = 120;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteInterruptTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task TokenCancelledWhileTheStatementRuns_InterruptsIt_AndTheConnectionServesTheNextStatement()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        // On a thread of its own: SQLite's "async" calls run on the caller's thread until the statement is done.
        var running = Task.Run(() => SqliteInterrupt.ReadLinesAsync(_connection, LongStatement, stop.Token));

        // A liveness bound, not a timing: uninterrupted, the statement would run for many minutes.
        var finished = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(TimeoutSeconds)));
        if (finished != running)
        {
            // Stopped here, so the failure is reported rather than the run hanging on the connection's disposal.
            SQLitePCL.raw.sqlite3_interrupt(_connection.Handle);
            Assert.Fail("The cancelled statement was still running after the test's bound");
        }
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(stop.Token, cancelled.CancellationToken);
        Assert.Equal(["3"], await SqliteInterrupt.ReadLinesAsync(_connection, "SELECT '3'", CancellationToken.None));
    }

    [Fact]
    public async Task TokenNotCancelled_ReturnsEveryRowsFirstColumn()
    {
        var lines = await SqliteInterrupt.ReadLinesAsync(_connection,
            "SELECT 'ok' UNION ALL SELECT 'row 2 missing from index' ORDER BY 1", CancellationToken.None);

        Assert.Equal(["ok", "row 2 missing from index"], lines);
    }

    [Fact]
    public async Task TokenCancelledAfterTheStatement_DoesNotInterruptTheConnectionsNextStatement()
    {
        using var stop = new CancellationTokenSource();
        Assert.Equal(["1"], await SqliteInterrupt.ReadLinesAsync(_connection, "SELECT '1'", stop.Token));
        await stop.CancelAsync();

        Assert.Equal(["2"], await SqliteInterrupt.ReadLinesAsync(_connection, "SELECT '2'", CancellationToken.None));
    }
}
