using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Parser;

namespace PovertyNews.Benchmarks;

/// <summary>
/// How long the sign-in form takes to refuse an unknown address and a known address with a wrong password, on the
/// published app with production settings (Identity's 100,000 PBKDF2 iterations, not the test hosts' one). Each
/// attempt comes from its own loopback address (127.0.x.y), so the per-source lock and delay never step in and
/// every attempt takes the full path; after each known-address attempt an untimed right password resets the account's
/// count. The two kinds alternate, so a busy moment weighs on both.
/// </summary>
public static class SignInBenchmark
{
    private const string Email = "bench.admin@example.com";
    private const string Password = "bench-sign-in-lantern-42";

    public static async Task<int> RunAsync(string[] args)
    {
        var attempts = 60;
        var port = 5331;
        var dataRoot = "/tmp/povertynews-bench";
        var publish = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--attempts": attempts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--data": dataRoot = args[++i]; break;
                case "--no-publish": publish = false; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var repository = SearchBenchmark.RepositoryRoot();
        var app = Path.Combine(dataRoot, "signin-app");
        if (publish || !File.Exists(Path.Combine(app, "PovertyNews.Web.dll")))
        {
            await LoadBenchmark.PublishAsync(repository, app);
        }
        var data = Path.Combine(dataRoot, "signin-data");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>
        {
            ["PovertyNews__DataPath"] = data,
            ["PovertyNews__ContentPath"] = Path.Combine(repository, "content"),
            ["PovertyNews__Admin__Email"] = Email,
            ["PovertyNews__Admin__Password"] = Password,
            ["PovertyNews__Newsroom__SignInAttemptsPerMinute"] = "1000",
        };
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        await using var server = await ServerProcess.StartAsync(app, port, Path.Combine(data, "server.log"), settings, TimeSpan.FromMinutes(5));

        var unknown = new List<double>();
        var known = new List<double>();
        var source = 0;
        for (var i = -5; i < attempts; i++)
        {
            var u = await AttemptAsync(server.Url, ++source, $"nobody{i + 10}@example.com");
            var k = await AttemptAsync(server.Url, ++source, Email);
            // Untimed: the right password resets the account's failure count, so an account-wide lockout (as before
            // the per-source one) cannot turn the known-address attempts into the cheaper locked path.
            await AttemptAsync(server.Url, source, Email, Password);
            if (i >= 0)
            {
                unknown.Add(u);
                known.Add(k);
            }
        }
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"| sign-in refused ({attempts} each, alternating) | median | p90 | min | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Row("unknown address", unknown));
        Console.WriteLine(Row("known address, wrong password", known));
        return 0;
    }

    /// <summary>Gets the form, then times the refused POST alone, from loopback address 127.0.x.y.</summary>
    private static async Task<double> AttemptAsync(string url, int source, string email, string password = "not-the-password-at-all")
    {
        var local = new IPAddress([127, 0, (byte)(1 + source / 250), (byte)(1 + source % 250)]);
        using var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/admin/signin"));
        var token = page.QuerySelector("form input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/admin/signin", form);
        await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var expected = password == Password ? HttpStatusCode.Redirect : HttpStatusCode.OK;
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}, expected {(int)expected}");
        }
        return elapsed;
    }

    private static string Row(string name, List<double> ms)
    {
        var sorted = ms.Order().ToList();
        return $"| {name} | {Percentile(sorted, 0.5):0.0} ms | {Percentile(sorted, 0.9):0.0} ms | {sorted[0]:0.0} ms | {sorted[^1]:0.0} ms |";
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];
}
