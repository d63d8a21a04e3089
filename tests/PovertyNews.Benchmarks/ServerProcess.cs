using System.Diagnostics;
using System.Globalization;

namespace PovertyNews.Benchmarks;

/// <summary>The published web app in its own process, as it runs in production, with its output in a log file.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, string url)
    {
        _process = process;
        _log = log;
        Url = url;
    }

    public string Url { get; }

    public int Id => _process.Id;

    /// <summary>Time from the process start to the first 200 on the front page.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>Processor time the process had used by then (user + system), which a busy machine does not stretch.</summary>
    public TimeSpan StartupCpu { get; private set; }

    public static async Task<ServerProcess> StartAsync(string appFolder, int port, string logPath, IDictionary<string, string> settings,
        TimeSpan timeout)
    {
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(appFolder, "PovertyNews.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, url);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server on port {port} exited with {process.ExitCode}; see {logPath}");
            }
            if (watch.Elapsed > timeout)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"the server on port {port} did not answer / within {timeout}; see {logPath}");
            }
            try
            {
                using var response = await client.GetAsync(url + "/");
                if (response.IsSuccessStatusCode)
                {
                    server.StartedIn = watch.Elapsed;
                    server.StartupCpu = server.CpuTime();
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
    }

    /// <summary>User plus system processor time of the process so far (from /proc/PID/stat, in clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: state is field 3, utime 14 and stime 15 (1-based), so indexes 11 and 12 here.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The peak resident set size of the process so far (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
