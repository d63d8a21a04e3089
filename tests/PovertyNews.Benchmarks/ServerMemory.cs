using System.Globalization;

namespace PovertyNews.Benchmarks;

/// <summary>
/// Samples another process's resident set (VmRSS in /proc/PID/status) every 20 ms while a phase runs, so each phase
/// gets its own peak; the kernel's VmHWM holds one peak for the process's whole life.
/// </summary>
public sealed class ServerMemory : IDisposable
{
    private readonly int _pid;
    private readonly Timer _timer;
    private long _peak;

    public ServerMemory(int pid)
    {
        _pid = pid;
        Sample();
        _timer = new Timer(_ => Sample(), null, 0, 20);
    }

    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    public static long ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }
        return 0;
    }

    private void Sample()
    {
        var current = ResidentBytes(_pid);
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
