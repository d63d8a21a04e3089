using System.Diagnostics;

namespace PovertyNews.Benchmarks;

/// <summary>
/// Samples the process's working set while a phase runs, so each phase gets its own peak (the OS only keeps one
/// peak for the process's whole life).
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly Timer timer;
    private long peak;

    public PeakMemory()
    {
        Sample();
        timer = new Timer(_ => Sample(), null, 0, 20);
    }

    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref peak);
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var current = process.WorkingSet64;
        long seen;
        while (current > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => timer.Dispose();
}
