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
        var server = Launch(appFolder, port, logPath, settings);
        try
        {
            await server.WaitUntilServingAsync(timeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the app without waiting for it to serve (the fault script kills it while it prepares).</summary>
    public static ServerProcess Launch(string appFolder, int port, string logPath, IDictionary<string, string> settings)
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
        return new ServerProcess(process, log, url) { _sinceLaunch = watch, _logPath = logPath };
    }

    private Stopwatch _sinceLaunch = new();
    private string _logPath = "";

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the first 200 on the front page; throws if the process exits or the time runs out first.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server at {Url} exited with {_process.ExitCode}; see {_logPath}");
            }
            if (_sinceLaunch.Elapsed > timeout)
            {
                throw new TimeoutException($"the server at {Url} did not answer / within {timeout}; see {_logPath}");
            }
            try
            {
                using var response = await client.GetAsync(Url + "/");
                if (response.IsSuccessStatusCode)
                {
                    StartedIn = _sinceLaunch.Elapsed;
                    StartupCpu = CpuTime();
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the server's log has a line containing <paramref name="text"/>; false when the time runs out.</summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !_process.HasExited)
        {
            await using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            if ((await reader.ReadToEndAsync()).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>SIGTERM: the host stops as it does under systemd or docker stop, and SQLite checkpoints its log.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>User plus system processor time of the process so far (from /proc/PID/stat, in clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime() => CpuTimeOf(_process.Id);

    /// <summary>User plus system processor time of process <paramref name="pid"/> so far.</summary>
    public static TimeSpan CpuTimeOf(int pid)
    {
        var fields = StatFields(pid);
        // After the command name: state is field 3, utime 14 and stime 15 (1-based), so indexes 11 and 12 here.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The fields of /proc/PID/stat after the command name (so the state is the first).</summary>
    public static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
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
