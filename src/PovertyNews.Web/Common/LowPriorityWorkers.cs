using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace PovertyNews.Web.Common;

/// <summary>
/// A few threads of their own, at a lower scheduling priority than the request threads, for processor-heavy work one
/// member of staff waits for (decoding and re-encoding an uploaded photo) while readers are being served.
/// </summary>
/// <remarks>
/// On two cores a 12-megapixel decode and re-encode holds a core for a second or more; on a thread-pool thread it
/// competes with reader requests as an equal, and the cached pages' p99 went from 5 to 23 ms while uploads ran. Here
/// the threads run at <c>nice</c> <see cref="Niceness"/> (Linux schedules each thread on its own, so this touches no
/// other thread of the process): when a reader request and the work want the same core, the request goes first; when
/// readers are quiet, the work has the cores to itself. Under a reader load that fills both cores the work gets about a
/// tenth of a core, so an upload takes longer rather than the site getting slower. The number of threads is also the
/// bound on how many run at once; the rest wait in order. Elsewhere than Linux the threads run at normal priority.
/// <para>
/// A thread Linux creates inherits its creator's nice value, and the thread pool adds workers on whichever thread
/// queues work when it wants more. Completing the caller's task on a lowered thread queues its continuation there,
/// and a pool thread born from that would serve readers at the lower priority for the rest of the process's life
/// (an unprivileged process cannot raise it back). So the lowered threads only compute; one thread at normal priority
/// hands each result to its caller. The work itself must not start threads or queue thread-pool work (Skia does not).
/// </para>
/// </remarks>
public sealed class LowPriorityWorkers : IDisposable
{
    /// <summary>The threads' nice value (0 is normal, 19 the lowest); raising it needs no privilege.</summary>
    public const int Niceness = 10;

    private readonly BlockingCollection<Action> _queue = new();
    private readonly BlockingCollection<Action> _results = new();
    private readonly ILogger _logger;
    private int _lowered;

    public LowPriorityWorkers(string name, int threads, ILogger logger)
    {
        _logger = logger;
        Threads = Math.Max(1, threads);
        for (var i = 0; i < Threads; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
        }
        new Thread(HandOver) { IsBackground = true, Name = $"{name} results" }.Start();
    }

    public int Threads { get; }

    /// <summary>How many of the threads run at the lower priority (all of them on Linux once they have started).</summary>
    public int Lowered => Volatile.Read(ref _lowered);

    /// <summary>Runs <paramref name="work"/> on one of the threads; work cancelled before its turn is not started.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            if (ct.IsCancellationRequested)
            {
                _results.Add(() => done.TrySetCanceled(ct));
                return;
            }
            try
            {
                var result = work();
                _results.Add(() => done.TrySetResult(result));
            }
            catch (Exception e)
            {
                _results.Add(() => done.TrySetException(e));
            }
        });
        return done.Task;
    }

    private void Work()
    {
        if (TryLowerCurrentThread(_logger))
        {
            Interlocked.Increment(ref _lowered);
        }
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item();
        }
    }

    private void HandOver()
    {
        foreach (var complete in _results.GetConsumingEnumerable())
        {
            complete();
        }
    }

    /// <summary>Lowers the calling thread to <see cref="Niceness"/> (a thread of its own, never a pool thread).</summary>
    public static bool TryLowerCurrentThread(ILogger? logger = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            if (SetPriority(PriorityOfProcess, GetThreadId(), Niceness) == 0)
            {
                return true;
            }
            logger?.LogWarning("Could not lower the priority of worker thread {Thread} (errno {Errno})",
                Thread.CurrentThread.Name, Marshal.GetLastPInvokeError());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            logger?.LogWarning(e, "Could not lower the priority of worker thread {Thread}", Thread.CurrentThread.Name);
        }
        return false;
    }

    // The results thread stays: a worker finishing its last item still hands that result over.
    public void Dispose() => _queue.CompleteAdding();

    // With PRIO_PROCESS, Linux takes a thread id as well as a process id and changes only that thread.
    private const int PriorityOfProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
