using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PovertyNews.Testing;

/// <summary>
/// A private Redis server for tests and benchmarks: Debian's <c>redis-server</c> on a free port on 127.0.0.1, no
/// persistence, its files in a temporary folder; as root it runs as the unprivileged <c>redis</c> user. It can be
/// stopped and started again on the same port (<see cref="Stop"/>, <see cref="Start"/>), which is how the tests cut
/// the nodes off from one another. Servers left behind by a killed run are stopped by the next one.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string InstallHint =
        "Redis is not installed. Install it with `sudo apt-get install -y redis-server` (Debian), or run ./test, which installs it.";

    private const string FolderPrefix = "povertynews-redis-";
    private const string Program = "/usr/bin/redis-server";

    private static readonly Lazy<RedisServer> Shared = new(() => StartNew(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string? _runAs;
    private bool _disposed;

    private RedisServer(string folder, string? runAs, int port)
    {
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>The process's shared server, started on first use; for tests that never stop it.</summary>
    public static RedisServer Instance => Shared.Value;

    public static bool IsInstalled => File.Exists(Program);

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) && ServerProcess.ProcessIsAlive(pid);

    private string PidFile => Path.Combine(_folder, "redis.pid");

    /// <summary>A server of its own (a test that stops and restarts it must not take the others' down).</summary>
    public static RedisServer StartNew()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(InstallHint);
        }
        SweepAbandoned();
        string? runAs = ServerProcess.RunAs("redis");
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString());
        if (runAs is not null)
        {
            ServerProcess.Run("chown", ["-R", runAs, folder], null);
        }
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(folder, runAs, ServerProcess.FreePort());
            try
            {
                server.Start();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Someone took the port between the probe and the start.
            }
        }
    }

    /// <summary>Starts the server (again) on its port and returns once it accepts connections.</summary>
    public void Start()
    {
        ServerProcess.Run(Program, [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--daemonize", "yes", "--pidfile", PidFile,
            "--dir", _folder, "--logfile", Path.Combine(_folder, "redis.log"), "--save", "", "--appendonly", "no",
            "--protected-mode", "yes",
        ], _runAs);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Accepts())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not accept connections on port {Port}: {Log()}");
            }
            Thread.Sleep(20);
        }
        Watch();
    }

    /// <summary>
    /// A watchdog outside the test process (its own session, so killing the test host's process tree spares it): when
    /// the test process is gone and its exit handler did not stop the server (a test host is often killed rather than
    /// left to exit), it stops the server and removes its folder; when the pid file goes (<see cref="Stop"/>), it ends.
    /// </summary>
    private void Watch()
    {
        var script = $"while [ -d /proc/{Environment.ProcessId} ] && [ -f '{PidFile}' ]; do sleep 1; done; " +
            $"if [ ! -d /proc/{Environment.ProcessId} ]; then kill -9 \"$(cat '{PidFile}' 2>/dev/null)\" 2>/dev/null; sleep 1; rm -rf '{_folder}'; fi; true";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "-f", "sh", "-c", script })
        {
            start.ArgumentList.Add(a);
        }
        using var watchdog = Process.Start(start);
    }

    /// <summary>Stops the server at once (SIGKILL: as a crash or a cut cable looks to the clients).</summary>
    public void Stop()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid))
        {
            return;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
        }
        File.Delete(PidFile);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Stop();
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception)
        {
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer, 0, buffer.Length);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string Log()
    {
        var log = Path.Combine(_folder, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static void SweepAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, "owner.pid");
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var ownerPid) && ServerProcess.ProcessIsAlive(ownerPid))
            {
                continue;
            }
            try
            {
                var pidFile = Path.Combine(folder, "redis.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && ServerProcess.ProcessIsAlive(pid))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    process.WaitForExit(10_000);
                }
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception)
            {
            }
        }
    }
}
