using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Common;
using PovertyNews.Web.Media;

namespace PovertyNews.Tests.Common;

public sealed class LowPriorityWorkersTests
{
    /// <summary>The calling thread's nice value, from the kernel's own account of it (field 19 of its stat line).</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3]);
    }

    [Fact]
    public async Task Work_RunsOnAThreadBehindTheRequestThreads()
    {
        using var workers = new LowPriorityWorkers("test", 1, NullLogger.Instance);

        var nice = await workers.RunAsync(NiceOfThisThread, CancellationToken.None);

        Assert.Equal(LowPriorityWorkers.Niceness, nice);
        Assert.Equal(1, workers.Lowered);
        // Only the worker: the caller's own thread keeps its priority.
        Assert.Equal(0, NiceOfThisThread());
    }

    [Fact]
    public async Task Failure_ReachesTheCaller()
    {
        using var workers = new LowPriorityWorkers("test", 1, NullLogger.Instance);

        var e = await Assert.ThrowsAsync<MediaRejectedException>(() =>
            workers.RunAsync<int>(() => throw new MediaRejectedException("坏图"), CancellationToken.None));

        Assert.Equal("坏图", e.Message);
        Assert.Equal(2, await workers.RunAsync(() => 2, CancellationToken.None));
    }

    [Fact]
    public async Task CancelledWhileWaiting_IsNeverStarted()
    {
        using var workers = new LowPriorityWorkers("test", 1, NullLogger.Instance);
        using var release = new ManualResetEventSlim();
        var busy = workers.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var started = false;
        var waiting = workers.RunAsync(() => started = true, cancel.Token);

        await cancel.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(await busy);
        Assert.False(started);
    }

    [Fact]
    public async Task Uploads_AreDecodedOnTheLoweredWorkers_OneAtATimeOnTwoCores()
    {
        var processor = new ImageProcessor(Options.Create(new MediaOptions()));

        using var image = await processor.ProcessAsync(TestImages.Png(640, 480), CancellationToken.None);

        Assert.Equal(640, image.Width);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), processor.Workers.Threads);
        Assert.Equal(processor.Workers.Threads, processor.Workers.Lowered);
    }

    [Fact]
    public async Task ManyCallersAwaitingAtOnce_LeaveNoPoolThreadLowered()
    {
        using var workers = new LowPriorityWorkers("test-burst", 1, NullLogger.Instance);

        // Continuations that block make the pool add threads while results are being handed over; a thread added
        // from a lowered thread would inherit its nice value.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            await workers.RunAsync(() => i, CancellationToken.None);
            Thread.Sleep(20);
            return NiceOfThisThread();
        }));

        var lowered = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                if (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19 - 3]) != 0)
                {
                    lowered.Add(File.ReadAllText(Path.Combine(task, "comm")).Trim());
                }
            }
            catch (IOException)
            {
                // A thread of another test ended meanwhile.
            }
        }
        Assert.DoesNotContain(lowered, name => name.StartsWith(".NET", StringComparison.Ordinal));
        Assert.Equal(0, NiceOfThisThread());
    }
}
