using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Benchmarks;

public sealed record LoadOptions(int Size, int Seed, string DataRoot, int Seconds, int Rounds, int Connections, int Threads,
    int Port, int MixSeconds, bool Publish, string? Out, bool Cluster = false, int Nodes = 2, int LagChanges = 20, bool Profile = false)
{
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions(100_000, 1, Path.Combine(Path.GetTempPath(), "povertynews-bench"), 10, 3, 64, 2, 5327, 30, true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--size" => options with { Size = Int() },
                "--seed" => options with { Seed = Int() },
                "--data" => options with { DataRoot = Next() },
                "--seconds" => options with { Seconds = Int() },
                "--rounds" => options with { Rounds = Int() },
                "--connections" => options with { Connections = Int() },
                "--threads" => options with { Threads = Int() },
                "--port" => options with { Port = Int() },
                "--mix-seconds" => options with { MixSeconds = Int() },
                "--no-publish" => options with { Publish = false },
                "--out" => options with { Out = Next() },
                "--cluster" => options with { Cluster = true },
                "--nodes" => options with { Nodes = Int() },
                "--lag-changes" => options with { LagChanges = Int() },
                "--profile" => options with { Profile = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}

/// <summary>
/// Drives the published app with wrk on a database of generated articles, interleaving the scenarios round by round
/// so a noisy neighbour on the shared machine spreads over all of them: Debian's nginx serving the article page's own
/// bytes from a file (N, the physical reference), the cached article page (C, and C-br with Brotli), the front page
/// (F), the same article from a second process with output caching switched off by configuration (U) and a crawl of
/// different articles on it (UC), a search (Q, and QU uncached), then a mix of readers while an editor publishes one
/// report a second through the review page's real form (M). <c>--profile</c> adds a CPU profile of U, UC and QU.
/// </summary>
public static partial class LoadBenchmark
{
    private const string UserAgent = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) PovertyNewsLoad/1.0";
    private const string EditorEmail = "bench-chief@example.com";
    private const string EditorPassword = "load-bench-river-tea-42";
    private const string SearchWord = "湘西";

    /// <param name="Cpu">The serving processes' processor time so far, for the processor time each request took.</param>
    /// <param name="Pid">The serving .NET process, whose allocations are read after the rounds; 0 for none (nginx, a cluster).</param>
    private sealed record Scenario(string Name, string What, string Url, string[] Headers, string? Script = null, Func<TimeSpan>? Cpu = null,
        int Pid = 0);

    public static async Task<int> RunAsync(LoadOptions options)
    {
        if (!await HasWrkAsync())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }
        if (options.Cluster)
        {
            return await RunClusterAsync(options);
        }
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var (work, app) = await PrepareAsync(options);

        var settings = new Dictionary<string, string>
        {
            ["PovertyNews__DataPath"] = work,
            // One review level: the benchmark's editor-in-chief takes a report from draft to published alone.
            ["PovertyNews__Newsroom__ReviewLevels"] = "1",
        };
        if (options.Profile)
        {
            // perf names the JIT-compiled methods from the map the runtime writes to /tmp/perf-{pid}.map; precompiled
            // (ReadyToRun) code is not in it, so the profiled server compiles everything (hot code is recompiled
            // by tiering either way, so the steady state profiled is the one measured). With W^X on, code runs from a
            // second mapping of an anonymous file that perf can't match to the map.
            // A profiled run's figures are for the profile only: start-up is slower without precompiled code.
            settings["DOTNET_PerfMapEnabled"] = "1";
            settings["DOTNET_ReadyToRun"] = "0";
            settings["DOTNET_EnableWriteXorExecute"] = "0";
        }
        var uncachedSettings = new Dictionary<string, string>(settings) { ["PovertyNews__OutputCache__Enabled"] = "false" };
        Console.WriteLine("starting the servers");
        await using var cached = await ServerProcess.StartAsync(app, options.Port, Path.Combine(work, "cached.log"), settings, TimeSpan.FromMinutes(5));
        await using var uncached = await ServerProcess.StartAsync(app, options.Port + 1, Path.Combine(work, "uncached.log"), uncachedSettings, TimeSpan.FromMinutes(5));
        Console.WriteLine($"cached server answered / after {cached.StartedIn.TotalMilliseconds:N0} ms");
        // Each server reads the whole database file once after starting (the integrity check); measuring during it
        // would measure that.
        foreach (var server in new[] { cached, uncached })
        {
            if (!await server.WaitForLogAsync("Database integrity check", TimeSpan.FromMinutes(10)))
            {
                Console.WriteLine($"the integrity check of {server.Url} did not end within 10 minutes; measuring anyway");
            }
        }

        var (articles, channels) = await ReadCorpusAsync(Path.Combine(work, "news.db"));
        var article = articles[Math.Min(100, articles.Count - 1)];
        using var fetch = new HttpClient();
        var page = await fetch.GetByteArrayAsync(cached.Url + article);
        await using var nginx = await NginxReference.StartAsync(page, options.Port + 2, work);
        var crawl = Path.Combine(work, "crawl.lua");
        await File.WriteAllTextAsync(crawl, PathsScript(articles));
        var search = "/search?q=" + Uri.EscapeDataString(SearchWord);
        Scenario[] scenarios =
        [
            new("N", $"nginx serving the same article bytes from a file ({page.Length:N0} bytes)", nginx.Url, [UserAgent], Cpu: nginx.CpuTime),
            new("C", "article page, output cache", cached.Url + article, [UserAgent], Cpu: cached.CpuTime, Pid: cached.Id),
            new("C-br", "article page, output cache, Brotli", cached.Url + article, [UserAgent, "Accept-Encoding: br"], Cpu: cached.CpuTime, Pid: cached.Id),
            new("F", "front page, output cache", cached.Url + "/", [UserAgent], Cpu: cached.CpuTime, Pid: cached.Id),
            new("U", "article page, output caching off", uncached.Url + article, [UserAgent], Cpu: uncached.CpuTime, Pid: uncached.Id),
            new("UC", $"crawl: the {articles.Count:N0} newest articles in turn, output caching off", uncached.Url, [UserAgent], crawl, uncached.CpuTime, Pid: uncached.Id),
            new("Q", $"search `{SearchWord}`, output cache", cached.Url + search, [UserAgent], Cpu: cached.CpuTime, Pid: cached.Id),
            new("QU", $"search `{SearchWord}`, output caching off", uncached.Url + search, [UserAgent], Cpu: uncached.CpuTime, Pid: uncached.Id),
        ];

        var results = (await RoundsAsync(options, scenarios)).Results;
        var allocations = await AllocationsAsync(options, scenarios);
        var profiles = options.Profile
            ? await ProfileAsync(options, [cached, uncached], scenarios.Where(s => s.Name is "C" or "F" or "U" or "UC" or "QU"), work)
            : [];

        Console.WriteLine("mix: readers while an editor publishes every second");
        var mix = await MixAsync(options, cached.Url, work, articles, channels);
        var loadAfter = File.ReadAllText("/proc/loadavg").Trim();

        var report = Report(options, scenarios, results, allocations, mix, cached, uncached, loadBefore, loadAfter, profiles);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, report);
        }
        return 0;
    }

    /// <summary>
    /// The working copy of the generated corpus (n{size}-s{seed}) with a week of reads seeded, the published app, and
    /// the benchmark's editor-in-chief in that database.
    /// </summary>
    private static async Task<(string Work, string App)> PrepareAsync(LoadOptions options)
    {
        var repository = SearchBenchmark.RepositoryRoot();
        var source = await SourceDatabaseAsync(options);
        var work = Path.Combine(options.DataRoot, $"load-n{options.Size}-s{options.Seed}");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.CreateDirectory(work);
        Console.WriteLine($"copying {source} to {work}");
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(source)!, "news.db*"))
        {
            File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
        }
        await SeedReadsAsync(Path.Combine(work, "news.db"));
        var app = Path.Combine(options.DataRoot, "load-app");
        if (options.Publish || !File.Exists(Path.Combine(app, "PovertyNews.Web.dll")))
        {
            await PublishAsync(repository, app);
        }
        await CreateEditorAsync(app, work);
        return (work, app);
    }

    /// <summary>Starts the published app on a copy of a database and times the first 200 on the front page, twice.</summary>
    public static async Task<int> ColdStartAsync(string[] args)
    {
        string? folder = null;
        var port = 5329;
        var runs = 2;
        var app = Path.Combine(Path.GetTempPath(), "povertynews-bench", "load-app");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--db-folder": folder = args[++i]; break;
                case "--app": app = args[++i]; break;
                case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (folder is null || !File.Exists(Path.Combine(folder, "news.db")))
        {
            Console.Error.WriteLine("usage: coldstart --db-folder <folder with a writable news.db> [--port 5329] [--runs 2]");
            return 2;
        }
        if (!File.Exists(Path.Combine(app, "PovertyNews.Web.dll")))
        {
            await PublishAsync(SearchBenchmark.RepositoryRoot(), app);
        }
        var articles = await CountArticlesAsync(Path.Combine(folder, "news.db"));
        for (var run = 1; run <= runs; run++)
        {
            await WaitUntilIdleAsync();
            await using var server = await ServerProcess.StartAsync(app, port, Path.Combine(folder, $"coldstart-{run}.log"),
                new Dictionary<string, string> { ["PovertyNews__DataPath"] = folder }, TimeSpan.FromMinutes(30));
            var article = (await ReadCorpusAsync(Path.Combine(folder, "news.db"))).Articles[0];
            using var client = new HttpClient();
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(server.Url + article);
            var articleMs = watch.Elapsed.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {articles:N0} articles; first 200 on / after {server.StartedIn.TotalMilliseconds:N0} ms from process start " +
                $"({server.StartupCpu.TotalMilliseconds:N0} ms of processor time); " +
                $"then an article page in {articleMs:N0} ms ({(int)response.StatusCode}); peak memory {server.PeakMemoryBytes() / 1048576.0:N0} MB"));
        }
        return 0;
    }

    private sealed record MixResult(WrkResult Readers, List<double> VisibleAfterMs, List<double> PublishMs, int Published);

    private static async Task<MixResult> MixAsync(LoadOptions options, string url, string work, List<string> articles, List<string> channels)
    {
        using var editor = new NewsroomDriver(url);
        await editor.SignInAsync(EditorEmail, EditorPassword);
        var count = options.MixSeconds - 2;
        var drafts = new List<(int Id, string Title)>();
        for (var i = 0; i < count; i++)
        {
            var title = $"压测快讯第{i + 1}篇：{Guid.NewGuid().ToString("N")[..8]}";
            var id = await editor.CreateDraftAsync(title, "东西部协作", $"{title}。这是负载测试中由编辑发布的报道正文。");
            await editor.StepAsync(id, "submit");
            await editor.StepAsync(id, "pass", "同意");
            drafts.Add((id, title));
        }

        var script = Path.Combine(work, "mix.lua");
        await File.WriteAllTextAsync(script, MixScript(articles, channels, options.Seed));
        var readers = WrkResult.RunAsync(url, options.Threads, options.Connections, options.MixSeconds, script, [UserAgent]);

        using var reader = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var visible = new List<double>();
        var publishing = new List<double>();
        var clock = Stopwatch.StartNew();
        foreach (var (draft, index) in drafts.Select((d, i) => (d, i)))
        {
            var due = TimeSpan.FromSeconds(1 + index);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            var post = Stopwatch.StartNew();
            await editor.StepAsync(draft.Id, "publish");
            publishing.Add(post.Elapsed.TotalMilliseconds);
            var seen = Stopwatch.StartNew();
            while (seen.Elapsed < TimeSpan.FromSeconds(10))
            {
                var front = await reader.GetStringAsync(url + "/");
                if (front.Contains(draft.Title, StringComparison.Ordinal))
                {
                    break;
                }
                await Task.Delay(5);
            }
            visible.Add(seen.Elapsed.TotalMilliseconds);
        }
        return new MixResult(await readers, visible, publishing, drafts.Count);
    }

    private sealed record Profile(string Scenario, double RequestsPerSecond, List<(double Percent, string Symbol)> Exclusive,
        List<(double Percent, string Symbol)> Inclusive, string ReportPath);

    /// <summary>
    /// A CPU profile of the scenarios with targets (the cached pages against nginx, the uncached ones): perf samples the server's threads at 999 Hz with call stacks while wrk
    /// drives the scenario, and perf report folds the samples by function, by itself (exclusive) and with its callees
    /// (inclusive). Processor samples, unlike dotnet-trace's thread-time sampling, leave out threads that only wait.
    /// </summary>
    private static async Task<List<Profile>> ProfileAsync(LoadOptions options, ServerProcess[] servers, IEnumerable<Scenario> scenarios, string work)
    {
        var profiles = new List<Profile>();
        foreach (var s in scenarios)
        {
            var server = servers.First(p => s.Url.StartsWith(p.Url + "/", StringComparison.Ordinal) || s.Url == p.Url);
            Console.WriteLine($"profiling {s.Name}");
            var data = Path.Combine(work, $"profile-{s.Name}.perf");
            var perf = RunAsync("perf", ["record", "-F", "999", "-g", "-q", "-p", server.Id.ToString(CultureInfo.InvariantCulture), "-o", data,
                "--", "sleep", options.Seconds.ToString(CultureInfo.InvariantCulture)], null, null);
            var load = await WrkResult.RunAsync(s.Url, options.Threads, options.Connections, options.Seconds, s.Script, s.Headers);
            await perf;
            var exclusive = await PerfReportAsync(data, children: false);
            var inclusive = await PerfReportAsync(data, children: true);
            var path = Path.Combine(work, $"profile-{s.Name}.txt");
            await File.WriteAllLinesAsync(path, [$"{s.Name}: {s.What}, {load.RequestsPerSecond:N0} req/s while profiled", "", "exclusive:",
                .. exclusive.Select(e => $"{e.Percent,6:0.00}%  {e.Symbol}"), "", "inclusive:", .. inclusive.Select(e => $"{e.Percent,6:0.00}%  {e.Symbol}")]);
            profiles.Add(new Profile(s.Name, load.RequestsPerSecond, exclusive, inclusive, path));
        }
        return profiles;
    }

    private static async Task<List<(double Percent, string Symbol)>> PerfReportAsync(string data, bool children)
    {
        var start = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "report", "-i", data, "--stdio", "--sort", "sym", "-g", "none", "--percent-limit", "0.5",
                     children ? "--children" : "--no-children" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rows = new List<(double, string)>();
        foreach (var line in output.Split('\n'))
        {
            // "    12.34%  [.] Symbol" without --children; "    40.00%     1.00%  [.] Symbol" with it (the first is inclusive).
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#' || !trimmed.Contains('%'))
            {
                continue;
            }
            var percent = trimmed[..trimmed.IndexOf('%')];
            var marker = trimmed.IndexOf("] ", StringComparison.Ordinal);
            if (marker < 0 || !double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }
            rows.Add((value, trimmed[(marker + 2)..].Trim()));
        }
        return rows.Take(40).ToList();
    }

    /// <summary>Every path in turn, from where the previous request of this wrk thread left off: a crawler's walk.</summary>
    private static string PathsScript(List<string> paths)
    {
        var lua = new StringBuilder("local paths = {\n");
        foreach (var path in paths)
        {
            lua.Append("  \"").Append(path).Append("\",\n");
        }
        lua.Append("}\nlocal count = #paths\nlocal i = 0\nrequest = function()\n  i = i % count + 1\n  return wrk.format(\"GET\", paths[i])\nend\n");
        return lua.ToString();
    }

    /// <summary>Readers: a fifth the front page, over half article pages, channel listings and some searches.</summary>
    private static string MixScript(List<string> articles, List<string> channels, int seed)
    {
        var random = new Random(seed);
        string[] words = ["扶贫", "湘西", "十八洞", "旅游", "培训", "产业", "协作", "合作社"];
        var paths = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var roll = random.Next(100);
            paths.Add(roll switch
            {
                < 20 => "/",
                < 75 => articles[random.Next(articles.Count)],
                < 90 => $"/channels/{channels[random.Next(channels.Count)]}" + (random.Next(3) is var p && p > 0 ? $"?page={p + 1}" : ""),
                _ => "/search?q=" + Uri.EscapeDataString(words[random.Next(words.Length)]),
            });
        }
        var lua = new StringBuilder("local paths = {\n");
        foreach (var path in paths)
        {
            lua.Append("  \"").Append(path).Append("\",\n");
        }
        lua.Append("}\nlocal count = #paths\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(count)])\nend\n");
        return lua.ToString();
    }

    /// <summary>
    /// One more run of each scenario served by the app, with the server's allocation events read (after the rounds, so
    /// the rates above are of servers nobody watched).
    /// </summary>
    private static async Task<Dictionary<string, (ServerAllocations Allocations, WrkResult Result)>> AllocationsAsync(
        LoadOptions options, Scenario[] scenarios)
    {
        var measured = new Dictionary<string, (ServerAllocations, WrkResult)>();
        foreach (var s in scenarios.Where(s => s.Pid != 0))
        {
            var (allocations, result) = await ServerAllocations.WatchAsync(s.Pid,
                () => WrkResult.RunAsync(s.Url, options.Threads, options.Connections, options.Seconds, s.Script, s.Headers));
            measured[s.Name] = (allocations, result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"allocations {s.Name,-5} {result.Requests,9:N0} requests  {allocations.Bytes / (double)Math.Max(1, result.Requests),9:N0} bytes/request"));
        }
        return measured;
    }

    private static string Report(LoadOptions options, Scenario[] scenarios, Dictionary<string, List<WrkResult>> results,
        Dictionary<string, (ServerAllocations Allocations, WrkResult Result)> allocations, MixResult mix,
        ServerProcess cached, ServerProcess uncached, string loadBefore, string loadAfter, List<Profile> profiles)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
        }
        // The median round, not the sum: one round disturbed by a neighbour moves the figure as little as possible.
        double Rate(string name) => Median(results[name].Select(r => r.RequestsPerSecond));
        double P99(string name) => Median(results[name].Select(r => r.P99));
        string Mark(bool met) => met ? "met" : "missed";
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Size:N0} generated articles; wrk -t{options.Threads} -c{options.Connections}, {options.Rounds} interleaved rounds of {options.Seconds} s per scenario (req/s and p99 of the median round); load average before {loadBefore.Split(' ')[0]}, after {loadAfter.Split(' ')[0]} ({Environment.ProcessorCount} cores)."));
        text.AppendLine();
        text.AppendLine("| | Scenario | req/s | ÷ N | p50 ms | p99 ms (median round) | p99 ms (worst round) | errors | server processor µs per request (median round) | server bytes allocated per request |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        string PerRequest(string name) => allocations.TryGetValue(name, out var a) && a.Result.Requests > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{a.Allocations.Bytes / (double)a.Result.Requests:N0}") : "";
        foreach (var s in scenarios)
        {
            var r = results[s.Name];
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.What} | {Rate(s.Name):N0} | {Rate(s.Name) / Rate("N"):0.000} | {Median(r.Select(x => x.P50)):0.00} | {P99(s.Name):0.00} | {r.Max(x => x.P99):0.00} | {r.Sum(x => x.Errors)} | {Median(r.Select(x => x.ProcessorMicroseconds)):0.0} | {PerRequest(s.Name)} |"));
        }
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| M | readers' mix ({options.MixSeconds} s) while an editor publishes every second | {mix.Readers.RequestsPerSecond:N0} | {mix.Readers.RequestsPerSecond / Rate("N"):0.000} | {mix.Readers.P50:0.00} | {mix.Readers.P99:0.00} | (one run) | {mix.Readers.Errors} | | |"));
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Bytes allocated: the server's allocation events (EventPipe, one about every 100 KB) summed over one more {options.Seconds} s run of each scenario after the rounds. Where they go (the types the events sampled, share of the bytes):"));
        text.AppendLine();
        foreach (var (name, (a, _)) in allocations.Where(a => a.Key is "C" or "F" or "U" or "QU"))
        {
            var top = a.ByType.Take(6).Select(t => string.Create(CultureInfo.InvariantCulture,
                $"`{t.Type.Replace("`", "'", StringComparison.Ordinal)}` {100.0 * t.Bytes / Math.Max(1, a.Bytes):0} %"));
            text.AppendLine($"- {name}: {string.Join(", ", top)}");
        }
        text.AppendLine();
        var within = mix.VisibleAfterMs.Count(ms => ms <= 1000);
        var errors = results.Values.Sum(r => r.Sum(x => x.Errors)) + mix.Readers.Errors;
        var peak = Math.Max(cached.PeakMemoryBytes(), uncached.PeakMemoryBytes());
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"""
            | Target | Measured | |
            |---|---:|---|
            | C/N ≥ 0.8 | {Rate("C") / Rate("N"):0.00} | {Mark(Rate("C") / Rate("N") >= 0.8)} |
            | F/N ≥ 0.8 | {Rate("F") / Rate("N"):0.00} | {Mark(Rate("F") / Rate("N") >= 0.8)} |
            | U ≥ 2,500 req/s, p99 ≤ 60 ms at {options.Connections} connections | {Rate("U"):N0} req/s, p99 {P99("U"):0} ms | {Mark(Rate("U") >= 2500 && P99("U") <= 60)} |
            | UC (a crawl of different articles) ≥ 2,500 req/s, p99 ≤ 60 ms | {Rate("UC"):N0} req/s, p99 {P99("UC"):0} ms | {Mark(Rate("UC") >= 2500 && P99("UC") <= 60)} |
            | QU ≥ 500 req/s at {options.Connections} connections | {Rate("QU"):N0} | {Mark(Rate("QU") >= 500)} |
            | 0 errors | {errors} | {Mark(errors == 0)} |
            | M: each publish on the front page within 1 s | {within}/{mix.Published}; median {Median(mix.VisibleAfterMs):0} ms, max {mix.VisibleAfterMs.DefaultIfEmpty(double.NaN).Max():0} ms after the publish response (which took median {Median(mix.PublishMs):0} ms) | {Mark(within == mix.Published)} |
            | peak RSS ≤ 400 MB (VmHWM) | cached server {cached.PeakMemoryBytes() / 1048576.0:N0} MB, uncached server {uncached.PeakMemoryBytes() / 1048576.0:N0} MB | {Mark(peak <= 400L * 1048576)} |
            | start-up | first 200 on / {cached.StartedIn.TotalMilliseconds:N0} ms after the process started ({cached.StartupCpu.TotalMilliseconds:N0} ms of processor time) | |
            """));
        foreach (var profile in profiles)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Profile of {profile.Scenario} ({profile.RequestsPerSecond:N0} req/s while sampled; all rows in {profile.ReportPath}):"));
            text.AppendLine();
            text.AppendLine("| exclusive | function | | inclusive | function |");
            text.AppendLine("|---:|---|---|---:|---|");
            for (var i = 0; i < 15; i++)
            {
                string Cell(List<(double Percent, string Symbol)> rows) => i < rows.Count
                    ? string.Create(CultureInfo.InvariantCulture, $"{rows[i].Percent:0.0} % | `{Shorten(rows[i].Symbol)}`") : " | ";
                text.AppendLine($"| {Cell(profile.Exclusive)} | | {Cell(profile.Inclusive)} |");
            }
        }
        return text.ToString();
    }

    private static string Shorten(string symbol)
    {
        var cut = symbol.IndexOf('(');
        var name = (cut > 0 ? symbol[..cut] : symbol).Replace("`", "'", StringComparison.Ordinal).Replace("|", "/", StringComparison.Ordinal);
        return name.Length <= 90 ? name : "…" + name[^89..];
    }

    internal static async Task<bool> HasWrkAsync()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("wrk", "-v") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await process.WaitForExitAsync();
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The generated corpus of the search benchmark (n{size}-s{seed}), made with its index if missing.</summary>
    private static async Task<string> SourceDatabaseAsync(LoadOptions options)
    {
        var folder = Path.Combine(options.DataRoot, $"n{options.Size}-s{options.Seed}");
        var path = Path.Combine(folder, "news.db");
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(folder);
        await using var app = SearchBenchmark.BuildApp(folder);
        await PovertyNews.Web.Infrastructure.FirstStart.PrepareDatabaseAsync(app);
        var code = await PovertyNews.Web.Infrastructure.Commands.RunAsync(app.Services, "generate",
            ["generate", "--count", options.Size.ToString(CultureInfo.InvariantCulture), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture)],
            Console.In, Console.Out, Console.Error);
        if (code != 0)
        {
            throw new InvalidOperationException($"generate failed with exit code {code}");
        }
        return path;
    }

    internal static async Task PublishAsync(string repository, string output)
    {
        // ReadyToRun: precompiled code halves the processor time to the first answer (see the README's start-up figures).
        Console.WriteLine($"publishing the web app (Release, ReadyToRun) to {output}");
        await RunAsync("dotnet", ["publish", Path.Combine(repository, "src", "PovertyNews.Web"), "-c", "Release", "-r", "linux-x64",
            "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo", "-v", "quiet"], null, null);
    }

    private static async Task CreateEditorAsync(string app, string data) =>
        await RunAsync("dotnet", [Path.Combine(app, "PovertyNews.Web.dll"), "create-user", "--email", EditorEmail, "--role", "EditorInChief", "--name", "压测总编辑"],
            EditorPassword, new Dictionary<string, string> { ["PovertyNews__DataPath"] = data, ["Serilog__MinimumLevel__Default"] = "Warning" }, app);

    internal static async Task RunAsync(string file, string[] arguments, string? input, Dictionary<string, string>? environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = input is not null, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }

    /// <summary>Paths of the 2,000 newest published articles, and the channel slugs.</summary>
    internal static async Task<(List<string> Articles, List<string> Channels)> ReadCorpusAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        var articles = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Id, Slug FROM Articles WHERE Status = 4 AND Kind = 0 AND PublishedAt <= $now ORDER BY PublishedAt DESC LIMIT 2000";
            command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                articles.Add($"/articles/{reader.GetInt32(0)}/{reader.GetString(1)}");
            }
        }
        var channels = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Slug FROM Channels ORDER BY Id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                channels.Add(reader.GetString(0));
            }
        }
        return (articles, channels);
    }

    /// <summary>
    /// A week of reads for the 2,000 newest reports, most for a few (as on a news site), so 热点新闻 ranks read
    /// reports: a generated corpus has none, and the sidebar would then show the newest reports, changing with every
    /// publication on every page.
    /// </summary>
    private static async Task SeedReadsAsync(string database)
    {
        var (articles, _) = await ReadCorpusAsync(database);
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO ArticleDailyViews (ArticleId, Day, Views) VALUES ($id, $day, $views)";
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var day = command.Parameters.Add("$day", SqliteType.Text);
        var views = command.Parameters.Add("$views", SqliteType.Integer);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        for (var rank = 0; rank < articles.Count; rank++)
        {
            id.Value = int.Parse(articles[rank].Split('/')[2], CultureInfo.InvariantCulture);
            views.Value = 20_000 / (rank + 1) + 1;
            for (var d = 0; d < 7; d++)
            {
                day.Value = today.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                await command.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Waits (at most 30 s) until the processors were at least 90 % idle over a second. <c>dotnet run</c> has just built
    /// the benchmark, and what the build leaves running for a few seconds took a core from the first start: 1.74–1.85 s
    /// to the first 200 at a million articles, against 1.15–1.33 s for the starts after it.
    /// </summary>
    private static async Task WaitUntilIdleAsync()
    {
        static (long Idle, long Total) Sample()
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return (cpu[3] + cpu[4], cpu.Sum()); // idle and iowait
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = Sample();
            await Task.Delay(1000);
            var after = Sample();
            var idle = (double)(after.Idle - before.Idle) / Math.Max(1, after.Total - before.Total);
            if (idle >= 0.9)
            {
                return;
            }
        }
        Console.WriteLine("the processors did not become idle within 30 s; starting anyway");
    }

    private static async Task<long> CountArticlesAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(Id) FROM Articles";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
