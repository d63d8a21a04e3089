using System.Diagnostics;
using System.Globalization;

namespace PovertyNews.Benchmarks;

/// <summary>
/// The physical reference for a cached page: Debian's nginx serving the app's own article bytes from a file, in a
/// private prefix (its own configuration, pid, logs and temp folders) on 127.0.0.1. It is what the same cores can do
/// when nothing but the HTTP exchange is left, so C/N says how far the output cache is from that limit.
/// </summary>
public sealed class NginxReference : IAsyncDisposable
{
    private readonly string _prefix;

    private NginxReference(string prefix, string url)
    {
        _prefix = prefix;
        Url = url;
    }

    /// <summary>The URL of the copied page.</summary>
    public string Url { get; }

    /// <summary>Processor time so far of the master and its workers (the processes whose parent it is).</summary>
    public TimeSpan CpuTime()
    {
        var master = int.Parse(File.ReadAllText(Path.Combine(_prefix, "nginx.pid")).Trim(), CultureInfo.InvariantCulture);
        var total = ServerProcess.CpuTimeOf(master);
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != master)
            {
                try
                {
                    // The parent's pid is the second field after the command name.
                    if (ServerProcess.StatFields(pid)[1] == master.ToString(CultureInfo.InvariantCulture))
                    {
                        total += ServerProcess.CpuTimeOf(pid);
                    }
                }
                catch (IOException)
                {
                    // The process ended while the list was read.
                }
            }
        }
        return total;
    }

    public static async Task<NginxReference> StartAsync(byte[] page, int port, string folder)
    {
        var nginx = await FindOrInstallAsync();
        var prefix = Path.Combine(folder, "nginx-reference");
        if (Directory.Exists(prefix))
        {
            Directory.Delete(prefix, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(prefix, "www"));
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        await File.WriteAllBytesAsync(Path.Combine(prefix, "www", "article.html"), page);
        // The same response headers a browser needs from the app: the type with its charset, keep-alive; no access
        // log (the app logs successful GETs at Debug only, so neither writes a line per request).
        var user = Environment.UserName == "root" ? "user root;" : "";
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/temp/body;
                proxy_temp_path {{prefix}}/temp/proxy;
                fastcgi_temp_path {{prefix}}/temp/fastcgi;
                uwsgi_temp_path {{prefix}}/temp/uwsgi;
                scgi_temp_path {{prefix}}/temp/scgi;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 1000000;
                open_file_cache max=16;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{prefix}}/www;
                    charset utf-8;
                    default_type text/html;
                    location = /article { try_files /article.html =404; }
                }
            }
            """);
        var configPath = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        await LoadBenchmark.RunAsync(nginx, ["-p", prefix, "-c", configPath, "-e", Path.Combine(prefix, "error.log")], null, null);
        var reference = new NginxReference(prefix, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/article");
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var served = await client.GetByteArrayAsync(reference.Url);
                if (!served.AsSpan().SequenceEqual(page))
                {
                    throw new InvalidOperationException("nginx served other bytes than the copied page");
                }
                return reference;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Debian's nginx, installed with apt-get when missing (the benchmark runs as root on these machines).</summary>
    private static async Task<string> FindOrInstallAsync()
    {
        foreach (var path in new[] { "/usr/sbin/nginx", "/usr/bin/nginx" })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }
        Console.WriteLine("installing nginx (apt-get install nginx-light)");
        await LoadBenchmark.RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "nginx-light"], null,
            new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        return File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : throw new InvalidOperationException("nginx did not install");
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_prefix, "nginx.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        // QUIT lets the workers finish; the master removes its pid file when they are gone.
        await LoadBenchmark.RunAsync("kill", ["-QUIT", pid.ToString(CultureInfo.InvariantCulture)], null, null);
        for (var waited = 0; Directory.Exists($"/proc/{pid}") && waited < 100; waited++)
        {
            await Task.Delay(100);
        }
        if (Directory.Exists($"/proc/{pid}"))
        {
            await LoadBenchmark.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], null, null);
        }
    }
}
