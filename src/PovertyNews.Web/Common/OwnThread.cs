namespace PovertyNews.Web.Common;

/// <summary>
/// Runs long background database work on a thread of its own instead of a thread-pool thread. SQLite's "async" calls
/// run on the caller's thread until the statement is done, so a quick_check of a large file, a backup or an index
/// check holds its thread for seconds to minutes. On two cores the pool starts with two threads; with one or two of
/// them held, the requests waiting behind them wait until the pool notices and adds a thread (about half a second
/// each): the first article page after a start at a million articles took 1.5 s instead of 0.1 s while the start's
/// checks ran. On PostgreSQL, whose calls are truly asynchronous, the thread ends at the first wait and the rest runs
/// on the pool as before.
/// </summary>
public static class OwnThread
{
    public static Task RunAsync(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public static Task<T> RunAsync<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
