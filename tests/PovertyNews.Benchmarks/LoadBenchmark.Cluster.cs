using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PovertyNews.Benchmarks;

/// <summary>
/// <c>load --cluster</c>: the same scenarios on the single SQLite node and on the local cluster of deploy/cluster
/// (nginx, N nodes, PostgreSQL, Redis on this machine, the same corpus copied in with copy-to), first with the
/// output cache in each node's memory (evictions announced over Redis), then switched off; and the
/// publish-to-visible lag across nodes: publish and withdraw through node 1 directly, poll node 2 directly.
/// </summary>
public static partial class LoadBenchmark
{
    private sealed record Rounds(Dictionary<string, List<WrkResult>> Results)
    {
        public double Rate(string name) => Results[name].Sum(r => r.Requests) / Results[name].Sum(r => r.Seconds);
        public double P50(string name) => Median(Results[name].Select(x => x.P50));
        public double P99(string name) => Median(Results[name].Select(x => x.P99));
        public long Errors(string name) => Results[name].Sum(x => x.Errors);
    }

    private sealed record LagResult(List<double> PublishMs, List<double> WithdrawMs, List<double> PostMs, int Missed)
    {
        public List<double> All => [.. PublishMs, .. WithdrawMs];
    }

    private sealed class Cluster(string script, string dir, Dictionary<string, string> state)
    {
        public string Url => $"http://127.0.0.1:{state["port"]}";
        public string Node(int n) => $"http://127.0.0.1:{state[$"node{n}_port"]}";
        public int NodePid(int n) => int.Parse(state[$"node{n}_pid"], CultureInfo.InvariantCulture);

        public static async Task<Cluster> StartAsync(string script, string dir, string app, string copyFrom, int nodes, int port, string[] env)
        {
            if (File.Exists(Path.Combine(dir, "state")))
            {
                await RunAsync("bash", [script, "stop", "--dir", dir], null, null);
            }
            string[] args = [script, "start", "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture),
                "--dir", dir, "--app", app, "--copy-from", copyFrom, .. env.SelectMany(e => new[] { "--env", e })];
            await RunAsync("bash", args, null, null);
            return new Cluster(script, dir, ReadState(dir));
        }

        public async Task<Cluster> RestartAsync(string[] env)
        {
            await RunAsync("bash", [script, "restart", "--dir", dir, .. env.SelectMany(e => new[] { "--env", e })], null, null);
            return new Cluster(script, dir, ReadState(dir));
        }

        public Task StopAsync() => RunAsync("bash", [script, "stop", "--dir", dir], null, null);

        /// <summary>The state file's key=value lines (bash %q quoting: only the connection string has escapes).</summary>
        private static Dictionary<string, string> ReadState(string dir) =>
            File.ReadAllLines(Path.Combine(dir, "state")).Where(l => l.Contains('='))
                .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Replace("\\", ""));

        public long PeakMemoryBytes(int n)
        {
            var line = File.ReadLines($"/proc/{NodePid(n)}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static async Task<int> RunClusterAsync(LoadOptions options)
    {
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var (work, app) = await PrepareAsync(options);
        var script = Path.Combine(SearchBenchmark.RepositoryRoot(), "deploy", "cluster");
        var clusterDir = Path.Combine(options.DataRoot, "load-cluster");
        string[] common = ["PovertyNews__Newsroom__ReviewLevels=1", "Serilog__MinimumLevel__Default=Warning"];
        var nginxPort = options.Port + 10;

        // The copy reads the SQLite site, so it runs before the single node starts on it.
        Console.WriteLine("starting the cluster (copy-to PostgreSQL, nodes, nginx)");
        var watch = Stopwatch.StartNew();
        var cluster = await Cluster.StartAsync(script, clusterDir, app, work, options.Nodes, nginxPort,
            common);
        Console.WriteLine($"cluster up after {watch.Elapsed.TotalSeconds:N0} s");
        try
        {
            var settings = new Dictionary<string, string> { ["PovertyNews__DataPath"] = work, ["PovertyNews__Newsroom__ReviewLevels"] = "1" };
            await using var single = await ServerProcess.StartAsync(app, options.Port, Path.Combine(work, "cached.log"), settings, TimeSpan.FromMinutes(5));
            await using var singleUncached = await ServerProcess.StartAsync(app, options.Port + 1, Path.Combine(work, "uncached.log"),
                new Dictionary<string, string>(settings) { ["PovertyNews__OutputCache__Enabled"] = "false" }, TimeSpan.FromMinutes(5));

            var (articles, channels) = await ReadCorpusAsync(Path.Combine(work, "news.db"));
            var article = articles[Math.Min(100, articles.Count - 1)];
            var search = "/search?q=" + Uri.EscapeDataString(SearchWord);
            Scenario[] Cached(string prefix, string url) =>
            [
                new(prefix + "C", "article page, output cache", url + article, [UserAgent]),
                new(prefix + "F", "front page, output cache", url + "/", [UserAgent]),
                new(prefix + "Q", $"search `{SearchWord}`, output cache", url + search, [UserAgent]),
            ];
            Scenario[] Uncached(string prefix, string url) =>
            [
                new(prefix + "U", "article page, output caching off", url + article, [UserAgent]),
                new(prefix + "QU", $"search `{SearchWord}`, output caching off", url + search, [UserAgent]),
            ];

            // Phase 1: the single node (cached and uncached) and the cluster with the in-memory store, interleaved.
            // D:C is node 1 without nginx: what the proxy hop costs on the same cores.
            var phase1 = await RoundsAsync(options, [.. Cached("1:", single.Url), .. Uncached("1:", singleUncached.Url), .. Cached("M:", cluster.Url),
                new("D:C", "article page, output cache, node 1 directly", cluster.Node(1) + article, [UserAgent])]);
            Console.WriteLine("mix on the single node");
            var singleMix = await MixAsync(options, single.Url, work, articles, channels);
            Console.WriteLine("mix on the cluster (memory store)");
            var memoryMix = await MixAsync(options, cluster.Url, work, articles, channels);
            Console.WriteLine("lag across nodes (memory store)");
            var memoryLag = await LagAsync(cluster.Node(1), cluster.Node(2), options.LagChanges, "内存");
            var memoryPeak = Enumerable.Range(1, options.Nodes).Max(cluster.PeakMemoryBytes);

            // Phase 2: no output cache on the nodes. (The Redis output-cache store, measured against this one at
            // 24757de and removed after it, had a phase of its own here; see the README's Scaling out.)
            cluster = await cluster.RestartAsync([.. common, "PovertyNews__OutputCache__Enabled=false"]);
            var phase2 = await RoundsAsync(options, Uncached("M:", cluster.Url));
            var loadAfter = File.ReadAllText("/proc/loadavg").Trim();

            var report = ClusterReport(options, phase1, phase2, singleMix, memoryMix, memoryLag,
                single.PeakMemoryBytes(), memoryPeak, loadBefore, loadAfter);
            Console.WriteLine();
            Console.WriteLine(report);
            if (options.Out is { } path)
            {
                await File.WriteAllTextAsync(path, report);
            }
            return 0;
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>
    /// A warm-up per scenario, then the rounds, each running every scenario once in turn (so a noisy neighbour spreads
    /// over all of them). Uncached scenarios warm up longer: tiered compilation takes its time to optimise rendering.
    /// </summary>
    private static async Task<Rounds> RoundsAsync(LoadOptions options, Scenario[] scenarios)
    {
        Console.WriteLine("warming up");
        foreach (var s in scenarios)
        {
            await WrkResult.RunAsync(s.Url, options.Threads, options.Connections, s.Name.Contains('U') ? 20 : 5, s.Script, s.Headers);
        }
        var results = scenarios.ToDictionary(s => s.Name, _ => new List<WrkResult>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var s in scenarios)
            {
                var before = s.Cpu?.Invoke();
                var result = await WrkResult.RunAsync(s.Url, options.Threads, options.Connections, options.Seconds, s.Script, s.Headers);
                if (before is { } start && s.Cpu!() - start is var used && result.Requests > 0)
                {
                    // Less noisy than the rate on a shared machine: what the server spent, whoever else ran.
                    result = result with { ProcessorMicroseconds = used.TotalMicroseconds / result.Requests };
                }
                results[s.Name].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} {s.Name,-5} {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50,7:0.00} ms  p99 {result.P99,7:0.00} ms  errors {result.Errors}{(double.IsNaN(result.ProcessorMicroseconds) ? "" : $"  {result.ProcessorMicroseconds,6:0.0} µs/request")}"));
            }
        }
        return new Rounds(results);
    }

    /// <summary>
    /// Publishes a report through node A's review page, times until node B's front page lists it, withdraws it through
    /// A, times until B answers 410 for it; each time from the moment A's answer to the post arrived.
    /// </summary>
    private static async Task<LagResult> LagAsync(string nodeA, string nodeB, int changes, string tag)
    {
        using var editor = new NewsroomDriver(nodeA);
        await editor.SignInAsync(EditorEmail, EditorPassword);
        using var reader = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        reader.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) PovertyNewsLoad/1.0");
        var limit = TimeSpan.FromSeconds(10);
        var published = new List<double>();
        var withdrawn = new List<double>();
        var posts = new List<double>();
        var missed = 0;
        for (var i = 0; i < (changes + 1) / 2; i++)
        {
            var title = $"集群{tag}时延第{i + 1}篇：{Guid.NewGuid().ToString("N")[..8]}";
            var id = await editor.CreateDraftAsync(title, "东西部协作", $"{title}。这是集群测试中由编辑在一个节点发布、在另一个节点读取的报道。");
            await editor.StepAsync(id, "submit");
            await editor.StepAsync(id, "pass", "同意");

            var post = Stopwatch.StartNew();
            await editor.StepAsync(id, "publish");
            posts.Add(post.Elapsed.TotalMilliseconds);
            var seen = Stopwatch.StartNew();
            string? path = null;
            while (seen.Elapsed < limit)
            {
                var front = await reader.GetStringAsync(nodeB + "/");
                if (front.Contains(title, StringComparison.Ordinal)
                    && Regex.Match(front, $"href=\"(/articles/{id}/[^\"]+)\"") is { Success: true } link)
                {
                    path = WebUtility.HtmlDecode(link.Groups[1].Value);
                    break;
                }
                await Task.Delay(5);
            }
            published.Add(seen.Elapsed.TotalMilliseconds);
            if (path is null)
            {
                missed++;
                continue;
            }

            post.Restart();
            await editor.StepAsync(id, "withdraw", "集群测试撤稿");
            posts.Add(post.Elapsed.TotalMilliseconds);
            seen.Restart();
            var gone = false;
            while (seen.Elapsed < limit)
            {
                using var response = await reader.GetAsync(nodeB + path);
                if (response.StatusCode == HttpStatusCode.Gone)
                {
                    gone = true;
                    break;
                }
                await Task.Delay(5);
            }
            withdrawn.Add(seen.Elapsed.TotalMilliseconds);
            missed += gone ? 0 : 1;
        }
        return new LagResult(published, withdrawn, posts, missed);
    }

    private static string ClusterReport(LoadOptions options, Rounds phase1, Rounds phase2, MixResult singleMix,
        MixResult memoryMix, LagResult memoryLag, long singlePeak, long memoryPeak, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(string.Create(inv,
            $"{options.Size:N0} generated articles; single node = the published app on SQLite; cluster = deploy/cluster: nginx + {options.Nodes} nodes + PostgreSQL + Redis on the same machine; wrk -t{options.Threads} -c{options.Connections} (to nginx for the cluster), {options.Rounds} interleaved rounds of {options.Seconds} s per scenario; load average before {loadBefore.Split(' ')[0]}, after {loadAfter.Split(' ')[0]} ({Environment.ProcessorCount} cores)."));
        text.AppendLine();
        text.AppendLine("| Scenario | single node req/s | p50 / p99 ms | cluster req/s | p50 / p99 ms | cluster / single |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        string Cell(Rounds r, string name) => string.Create(inv, $"{r.Rate(name):N0} | {r.P50(name):0.0} / {r.P99(name):0.0}");
        foreach (var (key, what) in new[] { ("C", "article page, output cache"), ("F", "front page, output cache"), ("Q", $"search `{SearchWord}`, output cache") })
        {
            text.AppendLine(string.Create(inv,
                $"| {key}: {what} | {Cell(phase1, "1:" + key)} | {Cell(phase1, "M:" + key)} | {phase1.Rate("M:" + key) / phase1.Rate("1:" + key):0.00} |"));
        }
        text.AppendLine(string.Create(inv,
            $"| C without nginx: article page, output cache, wrk to node 1 directly | | | {Cell(phase1, "D:C")} | {phase1.Rate("D:C") / phase1.Rate("1:C"):0.00} |"));
        foreach (var (key, what) in new[] { ("U", "article page, output caching off"), ("QU", $"search `{SearchWord}`, output caching off") })
        {
            text.AppendLine(string.Create(inv,
                $"| {key}: {what} | {Cell(phase1, "1:" + key)} | {Cell(phase2, "M:" + key)} | {phase2.Rate("M:" + key) / phase1.Rate("1:" + key):0.00} |"));
        }
        string Mix(MixResult m) => string.Create(inv, $"{m.Readers.RequestsPerSecond:N0} | {m.Readers.P50:0.0} / {m.Readers.P99:0.0}");
        text.AppendLine(string.Create(inv,
            $"| M: readers' mix ({options.MixSeconds} s), an editor publishing every second | {Mix(singleMix)} | {Mix(memoryMix)} | {memoryMix.Readers.RequestsPerSecond / singleMix.Readers.RequestsPerSecond:0.00} |"));
        var errors = new[] { phase1, phase2 }.Sum(r => r.Results.Keys.Sum(r.Errors)) + singleMix.Readers.Errors + memoryMix.Readers.Errors;
        text.AppendLine();
        text.AppendLine(string.Create(inv, $"wrk errors (connect, read, write, timeout, non-2xx/3xx) over all runs: {errors}."));
        text.AppendLine();
        string Visible(MixResult m) => string.Create(inv,
            $"{m.VisibleAfterMs.Count(ms => ms <= 1000)}/{m.Published} within 1 s; median {Median(m.VisibleAfterMs):0} ms, max {m.VisibleAfterMs.DefaultIfEmpty(double.NaN).Max():0} ms; publish answer median {Median(m.PublishMs):0} ms");
        text.AppendLine("| During the mix: each publication on the front page (the address readers use) | |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| single node | {Visible(singleMix)} |");
        text.AppendLine($"| cluster | {Visible(memoryMix)} |");
        text.AppendLine();
        string Lag(LagResult l) => string.Create(inv,
            $"{Median(l.PublishMs):0} / {Percentile(l.PublishMs, 0.95):0} | {Median(l.WithdrawMs):0} / {Percentile(l.WithdrawMs, 0.95):0} | {Median(l.All):0} / {Percentile(l.All, 0.95):0} / {l.All.DefaultIfEmpty(double.NaN).Max():0} | {Median(l.PostMs):0} | {l.Missed}");
        text.AppendLine(string.Create(inv,
            $"| Lag across nodes, idle site ({options.LagChanges} changes through node 1, polled on node 2) | publish → listed on node 2's front page, median / p95 ms | withdraw → 410 on node 2, median / p95 ms | all changes, median / p95 / max ms | node 1's answer to the post, median ms | not seen within 10 s |"));
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        text.AppendLine($"| cluster | {Lag(memoryLag)} |");
        text.AppendLine();
        text.AppendLine(string.Create(inv,
            $"Peak memory (VmHWM): single node {singlePeak / 1048576.0:N0} MB; largest cluster node {memoryPeak / 1048576.0:N0} MB."));
        return text.ToString();
    }
}
