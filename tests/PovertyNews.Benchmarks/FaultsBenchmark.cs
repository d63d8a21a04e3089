using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;
using SkiaSharp;

namespace PovertyNews.Benchmarks;

public sealed record FaultsOptions(int Rounds, int Seed, int Port, string DataRoot, bool Publish, int StartLimitSeconds,
    int RepairWaitSeconds, int Generate, int ImportFiles, string? Only)
{
    public static FaultsOptions Parse(string[] args)
    {
        var options = new FaultsOptions(60, 1, 5111, Path.Combine(Path.GetTempPath(), "povertynews-faults"), true, 60, 20, 5000, 400, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = Int() },
                "--seed" => options with { Seed = Int() },
                "--port" => options with { Port = Int() },
                "--data" => options with { DataRoot = Next() },
                "--no-publish" => options with { Publish = false },
                "--start-limit" => options with { StartLimitSeconds = Int() },
                "--repair-wait" => options with { RepairWaitSeconds = Int() },
                "--generate" => options with { Generate = Int() },
                "--import-files" => options with { ImportFiles = Int() },
                "--only" => options with { Only = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}

/// <summary>
/// Issue 16's fault script: the published app is killed with SIGKILL at a random moment of a random scenario (a first
/// start on an empty data folder, the <c>import</c> and <c>reindex</c> commands, editors saving through the real
/// edit form, uploads through the real upload form), then started again as an operator would (no flags), and checked:
/// it comes up within the limit; every save the server acknowledged (a redirect) holds its text; every acknowledged
/// upload's file is served; the search index counts as many articles as the table once the start's repair had time;
/// a first start's sample import is complete; <c>PRAGMA integrity_check</c> says ok. Each round works on a fresh copy
/// of a prepared data folder, so rounds are independent and the seed repeats the same sequence of scenarios and delays.
/// </summary>
public static partial class FaultsBenchmark
{
    private const string AdminEmail = "faults.admin@example.com";
    private const string AdminPassword = "faults-admin-kettle-42";
    private const string EditorEmail = "faults.editor@example.com";
    private const string EditorPassword = "faults-editor-lantern-42";

    private static readonly string[] Scenarios = ["first-start", "import", "reindex", "editing", "uploads"];

    private sealed class Tally
    {
        public int Rounds;
        public int Kills;
        public int FinishedBeforeKill;
        public int AckedSaves;
        public int LostSaves;
        public int AckedUploads;
        public int LostUploads;
        public int NeedsHand;
        public int IndexMismatches;
        public int IncompleteImports;
        public int IntegrityFailures;

        public int Problems => LostSaves + LostUploads + NeedsHand + IndexMismatches + IncompleteImports + IntegrityFailures;
    }

    private sealed record Setup(string App, string Root, string SampleTemplate, string BigTemplate, string ImportFolder, int SampleArticles,
        double FirstStartSeconds, double ImportSeconds, double ReindexSeconds, UploadsBenchmark.Image Image, string Repository);

    public static async Task<int> RunAsync(FaultsOptions options)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var setup = await PrepareAsync(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepared in {clock.Elapsed.TotalSeconds:0} s: first start {setup.FirstStartSeconds:0.0} s, import of {options.ImportFiles} files {setup.ImportSeconds:0.0} s, reindex of {options.Generate + setup.SampleArticles} articles {setup.ReindexSeconds:0.0} s"));

        var random = new Random(options.Seed);
        var tallies = Scenarios.ToDictionary(s => s, _ => new Tally());
        var problems = new List<string>();
        var rounds = Stopwatch.StartNew();
        for (var round = 1; round <= options.Rounds; round++)
        {
            var scenario = options.Only ?? Scenarios[random.Next(Scenarios.Length)];
            var fraction = random.NextDouble();
            var tally = tallies[scenario];
            tally.Rounds++;
            var line = await RoundAsync(options, setup, round, scenario, fraction, tally, problems);
            Console.WriteLine(line);
        }
        var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
        var report = Report(options, tallies, problems, rounds.Elapsed, loadBefore, loadAfter);
        Console.WriteLine();
        Console.WriteLine(report);
        return tallies.Values.Sum(t => t.Problems) == 0 ? 0 : 1;
    }

    private static async Task<string> RoundAsync(FaultsOptions options, Setup setup, int round, string scenario, double fraction, Tally tally,
        List<string> problems)
    {
        var data = Path.Combine(setup.Root, "round");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
        var template = scenario switch
        {
            "first-start" => null,
            "reindex" => setup.BigTemplate,
            _ => setup.SampleTemplate,
        };
        if (template is null)
        {
            Directory.CreateDirectory(data);
        }
        else
        {
            CopyFolder(template, data);
        }
        var logs = Path.Combine(setup.Root, "logs");
        Directory.CreateDirectory(logs);
        var settings = Settings(setup, data);
        var work = new Work();
        var delay = scenario switch
        {
            "first-start" => setup.FirstStartSeconds * (0.05 + 1.1 * fraction),
            "import" => setup.ImportSeconds * (0.05 + 1.1 * fraction),
            "reindex" => setup.ReindexSeconds * (0.05 + 1.1 * fraction),
            _ => 0.2 + 4.8 * fraction,
        };
        var killed = scenario switch
        {
            "first-start" => await KillServerAsync(setup, options, settings, Path.Combine(logs, $"{round:00}-first-start.log"), delay, work, null),
            "import" => await KillCommandAsync(setup, data, ["import", setup.ImportFolder], Path.Combine(logs, $"{round:00}-import.log"), delay),
            "reindex" => await KillCommandAsync(setup, data, ["reindex"], Path.Combine(logs, $"{round:00}-reindex.log"), delay),
            _ => await KillServerAsync(setup, options, settings, Path.Combine(logs, $"{round:00}-{scenario}.log"), delay,
                work, url => scenario == "editing" ? EditAsync(url, work) : UploadAsync(url, setup.Image, work)),
        };
        if (killed)
        {
            tally.Kills++;
        }
        else
        {
            tally.FinishedBeforeKill++;
        }
        var what = string.Create(CultureInfo.InvariantCulture, $"round {round,2} {scenario,-11} {(killed ? "killed" : "finished")} after {delay,5:0.00} s");
        if (scenario is "editing" or "uploads")
        {
            what += scenario == "editing" ? $", {work.AcknowledgedSaves} saves acknowledged" : $", {work.Uploads.Count} uploads acknowledged";
            if (work.Errors.Count > 0)
            {
                what += $" (driver failed before the kill: {work.Errors[0]})";
            }
        }

        var found = new List<string>();
        var restartLog = Path.Combine(logs, $"{round:00}-restart.log");
        ServerProcess? server = null;
        try
        {
            server = await ServerProcess.StartAsync(setup.App, options.Port, restartLog, settings, TimeSpan.FromSeconds(options.StartLimitSeconds));
            what += string.Create(CultureInfo.InvariantCulture, $"; restarted in {server.StartedIn.TotalSeconds:0.0} s");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            tally.NeedsHand++;
            found.Add($"start needs a hand: {e.Message} — {LastLines(restartLog)}");
        }
        if (server is not null)
        {
            await using (server)
            {
                var database = Path.Combine(data, "news.db");
                tally.AckedSaves += work.AcknowledgedSaves;
                tally.AckedUploads += work.Uploads.Count;
                foreach (var lost in await LostSavesAsync(database, work))
                {
                    tally.LostSaves++;
                    found.Add(lost);
                }
                foreach (var lost in await LostUploadsAsync(server.Url, database, work))
                {
                    tally.LostUploads++;
                    found.Add(lost);
                }
                if (scenario == "first-start" && await IncompleteImportAsync(database, setup.SampleArticles) is { } incomplete)
                {
                    tally.IncompleteImports++;
                    found.Add(incomplete);
                }
                if (await IndexMismatchAsync(server.Url, database, TimeSpan.FromSeconds(options.RepairWaitSeconds)) is { } mismatch)
                {
                    tally.IndexMismatches++;
                    found.Add(mismatch);
                }
                if (await IntegrityAsync(database) is { } integrity)
                {
                    tally.IntegrityFailures++;
                    found.Add(integrity);
                }
                await server.KillAsync();
            }
        }
        else if (File.Exists(Path.Combine(data, "news.db")) && await IntegrityAsync(Path.Combine(data, "news.db")) is { } integrity)
        {
            tally.IntegrityFailures++;
            found.Add(integrity);
        }
        foreach (var problem in found)
        {
            problems.Add($"round {round} ({scenario}): {problem}");
        }
        return what + (found.Count == 0 ? "; all checks passed" : "; " + string.Join("; ", found));
    }

    /// <summary>What a round's driver had acknowledged by the server, and what it was sending when the server died.</summary>
    private sealed class Work
    {
        /// <summary>Each article's last acknowledged text (what must be there after the kill).</summary>
        public readonly Dictionary<int, string> Saves = [];
        public int AcknowledgedSaves;
        public readonly Dictionary<int, string> InFlight = [];
        public readonly List<int> Uploads = [];
        public readonly List<string> Errors = [];
        public volatile bool Killing;
        public readonly Lock Gate = new();

        /// <summary>Set once the drivers have signed in and the server acknowledged a first save or upload.</summary>
        public readonly TaskCompletionSource Going = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Acknowledged() => Going.TrySetResult();

        public void Failed(Exception e, bool killed)
        {
            if (!killed)
            {
                lock (Gate)
                {
                    Errors.Add(e.Message);
                }
            }
            Going.TrySetResult();
        }
    }

    private static Dictionary<string, string> Settings(Setup setup, string data) => new()
    {
        ["PovertyNews__DataPath"] = data,
        ["PovertyNews__ContentPath"] = Path.Combine(setup.Repository, "content"),
        ["PovertyNews__Admin__Email"] = AdminEmail,
        ["PovertyNews__Admin__Password"] = AdminPassword,
        ["PovertyNews__Newsroom__SignInAttemptsPerMinute"] = "1000",
        ["Serilog__MinimumLevel__Default"] = "Information",
    };

    /// <summary>
    /// Starts the server and kills it <paramref name="delaySeconds"/> later (first start) or, with a
    /// <paramref name="driver"/>, that long after the driver got going (signed in, a first save or upload
    /// acknowledged: signing in alone takes seconds on a busy machine). False if the server had exited by itself.
    /// </summary>
    private static async Task<bool> KillServerAsync(Setup setup, FaultsOptions options, Dictionary<string, string> settings,
        string log, double delaySeconds, Work work, Func<string, Task>? driver)
    {
        var server = ServerProcess.Launch(setup.App, options.Port, log, settings);
        await using (server)
        {
            Task? driving = null;
            if (driver is not null)
            {
                await server.WaitUntilServingAsync(TimeSpan.FromSeconds(options.StartLimitSeconds));
                driving = Task.Run(() => driver(server.Url));
                await work.Going.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
            await Task.Delay(TimeSpan.FromSeconds(delaySeconds));
            var running = !server.HasExited;
            work.Killing = true;
            await server.KillAsync();
            if (driving is not null)
            {
                await driving;
            }
            return running;
        }
    }

    private static async Task<bool> KillCommandAsync(Setup setup, string data, string[] arguments, string log, double delaySeconds)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = setup.App, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(setup.App, "PovertyNews.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in Settings(setup, data))
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(delaySeconds));
        var running = true;
        try
        {
            await process.WaitForExitAsync(timer.Token);
            running = false;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await File.WriteAllTextAsync(log, await output + await error);
        return running;
    }

    /// <summary>Two editors, each writing a draft and saving new text into it again and again through the edit form.</summary>
    private static async Task EditAsync(string url, Work work)
    {
        await Task.WhenAll(Enumerable.Range(1, 2).Select(async editor =>
        {
            try
            {
                using var driver = new NewsroomDriver(url);
                await driver.SignInAsync(EditorEmail, EditorPassword);
                var id = await driver.CreateDraftAsync($"故障测试稿件{editor}：{Guid.NewGuid().ToString("N")[..6]}", "东西部协作", "第0次保存。");
                lock (work.Gate)
                {
                    work.Saves[id] = ArticleEditor.NormalizeBody("第0次保存。");
                    work.AcknowledgedSaves++;
                }
                work.Acknowledged();
                for (var n = 1; ; n++)
                {
                    var body = $"第{n}次保存：{Guid.NewGuid():N}。故障测试中由编辑{editor}通过编辑表单保存的正文。\n\n第二段，保存序号 {n}。";
                    lock (work.Gate)
                    {
                        work.InFlight[id] = ArticleEditor.NormalizeBody(body);
                    }
                    await driver.EditAsync(id, $"故障测试摘要 {n}", body);
                    lock (work.Gate)
                    {
                        work.Saves[id] = ArticleEditor.NormalizeBody(body);
                        work.InFlight.Remove(id);
                        work.AcknowledgedSaves++;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                // The server was killed: what it had acknowledged is recorded, the save on its way may or may not be there.
                work.Failed(e, work.Killing);
            }
        }));
    }

    /// <summary>Two newsroom sessions uploading unique images one after another through the upload form.</summary>
    private static async Task UploadAsync(string url, UploadsBenchmark.Image image, Work work)
    {
        var sequence = 0;
        await Task.WhenAll(Enumerable.Range(1, 2).Select(async _ =>
        {
            try
            {
                using var driver = new NewsroomDriver(url);
                await driver.SignInAsync(AdminEmail, AdminPassword);
                while (true)
                {
                    var unique = Interlocked.Increment(ref sequence);
                    using var response = await driver.UploadAsync(UploadsBenchmark.UniqueCopy(image, unique), $"fault-{unique}.jpg", image.ContentType, $"故障测试图片 {unique}");
                    if (response.StatusCode == HttpStatusCode.Redirect
                        && MediaIdPattern().Match(response.Headers.Location?.OriginalString ?? "") is { Success: true } match)
                    {
                        lock (work.Gate)
                        {
                            work.Uploads.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                        }
                        work.Acknowledged();
                    }
                    else
                    {
                        throw new InvalidOperationException($"upload answered {(int)response.StatusCode}");
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                work.Failed(e, work.Killing);
            }
        }));
    }

    // ---- Checks ----

    private static async Task<List<string>> LostSavesAsync(string database, Work work)
    {
        var lost = new List<string>();
        if (work.Saves.Count == 0)
        {
            return lost;
        }
        await using var connection = await OpenReadOnlyAsync(database);
        foreach (var (id, body) in work.Saves)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT BodyMarkdown FROM Articles WHERE Id = $id";
            command.Parameters.AddWithValue("$id", id);
            var stored = await command.ExecuteScalarAsync() as string;
            // The save on its way when the server died may have committed without its answer arriving.
            if (stored != body && !(work.InFlight.TryGetValue(id, out var sending) && stored == sending))
            {
                lost.Add($"article {id} lost its acknowledged text (holds {(stored is null ? "no row" : Excerpt(stored))})");
            }
        }
        return lost;
    }

    private static async Task<List<string>> LostUploadsAsync(string url, string database, Work work)
    {
        var lost = new List<string>();
        if (work.Uploads.Count == 0)
        {
            return lost;
        }
        await using var connection = await OpenReadOnlyAsync(database);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var id in work.Uploads)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT StoredName FROM MediaItems WHERE Id = $id";
            command.Parameters.AddWithValue("$id", id);
            if (await command.ExecuteScalarAsync() is not string name)
            {
                lost.Add($"acknowledged upload {id} has no row");
                continue;
            }
            using var response = await client.GetAsync(url + MediaName.UrlOf(name));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK || bytes.Length == 0)
            {
                lost.Add($"acknowledged upload {id} ({name}) answers {(int)response.StatusCode} with {bytes.Length} bytes");
            }
        }
        return lost;
    }

    private static async Task<string?> IncompleteImportAsync(string database, int sampleArticles)
    {
        await using var connection = await OpenReadOnlyAsync(database);
        var channels = await ScalarAsync(connection, "SELECT count(*) FROM Channels");
        var articles = await ScalarAsync(connection, "SELECT count(*) FROM Articles");
        return articles < sampleArticles
            ? $"first-start import incomplete: {channels} channels, {articles} of {sampleArticles} sample articles"
            : null;
    }

    /// <summary>
    /// Waits for readiness when the app has /healthz/ready (a 404 means this build has none), then gives the start's
    /// index repair up to <paramref name="wait"/> to bring the index's count to the table's.
    /// </summary>
    private static async Task<string?> IndexMismatchAsync(string url, string database, TimeSpan wait)
    {
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (watch.Elapsed < wait)
        {
            using var response = await client.GetAsync(url + "/healthz/ready");
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound)
            {
                break;
            }
            await Task.Delay(250);
        }
        long indexed = 0, articles = 0;
        while (true)
        {
            await using (var connection = await OpenReadOnlyAsync(database))
            {
                indexed = await ScalarAsync(connection, "SELECT count(*) FROM ArticleSearchKeys");
                articles = await ScalarAsync(connection, "SELECT count(*) FROM Articles");
            }
            if (indexed == articles)
            {
                return null;
            }
            if (watch.Elapsed >= wait)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"search index counts {indexed} of {articles} articles {wait.TotalSeconds:0} s after the start");
            }
            await Task.Delay(250);
        }
    }

    private static async Task<string?> IntegrityAsync(string database)
    {
        try
        {
            await using var connection = await OpenReadOnlyAsync(database);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            var result = await command.ExecuteScalarAsync() as string;
            return result == "ok" ? null : $"integrity_check: {result}";
        }
        catch (SqliteException e)
        {
            return $"integrity_check could not run: {e.Message}";
        }
    }

    private static async Task<SqliteConnection> OpenReadOnlyAsync(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = database,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // ---- Setup ----

    /// <summary>
    /// Publishes the app; makes the sample data folder (a clean first start, plus an editor), a large one for reindex
    /// (plus generated articles), and a content folder to import; times a clean first start, import and reindex, so
    /// each round's kill falls somewhere within (or just after) the work.
    /// </summary>
    private static async Task<Setup> PrepareAsync(FaultsOptions options)
    {
        var repository = SearchBenchmark.RepositoryRoot();
        var root = options.DataRoot;
        Directory.CreateDirectory(root);
        var app = Path.Combine(root, "app");
        if (options.Publish || !File.Exists(Path.Combine(app, "PovertyNews.Web.dll")))
        {
            await LoadBenchmark.PublishAsync(repository, app);
        }
        var image = new UploadsBenchmark.Image("photo.jpg", "image/jpeg",
            UploadsBenchmark.Encode(1600, 1200, SKEncodedImageFormat.Jpeg, 1, 12));
        var setup = new Setup(app, root, Path.Combine(root, "template-sample"), Path.Combine(root, "template-big"),
            Path.Combine(root, "import-content"), 0, 0, 0, 0, image, repository);

        foreach (var folder in new[] { setup.SampleTemplate, setup.BigTemplate })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        Directory.CreateDirectory(setup.SampleTemplate);
        Console.WriteLine("a clean first start, for the sample template");
        var server = await ServerProcess.StartAsync(app, options.Port, Path.Combine(root, "template-first-start.log"),
            Settings(setup, setup.SampleTemplate), TimeSpan.FromMinutes(5));
        var firstStart = server.StartedIn.TotalSeconds;
        await server.StopAsync(TimeSpan.FromSeconds(30));
        await server.DisposeAsync();
        await CommandAsync(setup, setup.SampleTemplate, ["create-user", "--email", EditorEmail, "--role", "EditorInChief", "--name", "故障测试编辑"], EditorPassword);
        int sampleArticles;
        await using (var connection = await OpenReadOnlyAsync(Path.Combine(setup.SampleTemplate, "news.db")))
        {
            sampleArticles = (int)await ScalarAsync(connection, "SELECT count(*) FROM Articles");
        }

        WriteImportFolder(Path.Combine(repository, "content"), setup.ImportFolder, options.ImportFiles);
        var scratch = Path.Combine(root, "calibration");
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        CopyFolder(setup.SampleTemplate, scratch);
        Console.WriteLine($"timing an import of {options.ImportFiles} files");
        var watch = Stopwatch.StartNew();
        await KillCommandAsync(setup, scratch, ["import", setup.ImportFolder], Path.Combine(root, "calibration-import.log"), 3600);
        var import = watch.Elapsed.TotalSeconds;

        CopyFolder(setup.SampleTemplate, setup.BigTemplate);
        Console.WriteLine($"generating {options.Generate} articles for the reindex template");
        await KillCommandAsync(setup, setup.BigTemplate, ["generate", "--count", options.Generate.ToString(CultureInfo.InvariantCulture), "--seed", "1"],
            Path.Combine(root, "template-generate.log"), 3600);
        Directory.Delete(scratch, recursive: true);
        CopyFolder(setup.BigTemplate, scratch);
        Console.WriteLine("timing a reindex");
        watch.Restart();
        await KillCommandAsync(setup, scratch, ["reindex"], Path.Combine(root, "calibration-reindex.log"), 3600);
        var reindex = watch.Elapsed.TotalSeconds;
        Directory.Delete(scratch, recursive: true);
        return setup with { SampleArticles = sampleArticles, FirstStartSeconds = firstStart, ImportSeconds = import, ReindexSeconds = reindex };
    }

    private static async Task CommandAsync(Setup setup, string data, string[] arguments, string? input) =>
        await LoadBenchmark.RunAsync("dotnet", [Path.Combine(setup.App, "PovertyNews.Web.dll"), .. arguments], input,
            new Dictionary<string, string>(Settings(setup, data)) { ["Serilog__MinimumLevel__Default"] = "Warning" }, setup.App);

    /// <summary>The sample content's channels and site, and <paramref name="count"/> articles made from its articles under new slugs.</summary>
    private static void WriteImportFolder(string content, string folder, int count)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(folder, "articles"));
        foreach (var file in Directory.GetFiles(content, "*.yml"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var samples = Directory.GetFiles(Path.Combine(content, "articles"), "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        for (var i = 1; i <= count; i++)
        {
            var text = samples[i % samples.Count];
            text = Regex.Replace(text, @"^slug: .*$", $"slug: fault-import-{i}", RegexOptions.Multiline);
            text = Regex.Replace(text, @"^title: (.*)$", m => $"title: {m.Groups[1].Value}（导入{i}）", RegexOptions.Multiline);
            File.WriteAllText(Path.Combine(folder, "articles", $"fault-import-{i}.md"), text, new UTF8Encoding(false));
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }

    private static string LastLines(string log)
    {
        try
        {
            var lines = File.ReadAllLines(log).TakeLast(2);
            return string.Join(" | ", lines.Select(Excerpt));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }

    private static string Report(FaultsOptions options, Dictionary<string, Tally> tallies, List<string> problems, TimeSpan elapsed,
        string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Rounds} rounds, seed {options.Seed}, in {elapsed.TotalMinutes:0.0} min; load average before {loadBefore.Split(' ')[0]}, after {loadAfter.Split(' ')[0]} ({Environment.ProcessorCount} cores)."));
        text.AppendLine();
        text.AppendLine("| Scenario | rounds | kills | finished before the kill | acknowledged saves / uploads | lost saves | lost uploads | starts needing a hand | index mismatches left | incomplete first imports | integrity failures |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, t) in tallies.Append(new("total", Sum(tallies.Values))))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {t.Rounds} | {t.Kills} | {t.FinishedBeforeKill} | {t.AckedSaves} / {t.AckedUploads} | {t.LostSaves} | {t.LostUploads} | {t.NeedsHand} | {t.IndexMismatches} | {t.IncompleteImports} | {t.IntegrityFailures} |"));
        }
        if (problems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Problems:");
            foreach (var problem in problems)
            {
                text.AppendLine("- " + problem);
            }
        }
        return text.ToString();
    }

    private static Tally Sum(IEnumerable<Tally> tallies)
    {
        var sum = new Tally();
        foreach (var t in tallies)
        {
            sum.Rounds += t.Rounds;
            sum.Kills += t.Kills;
            sum.FinishedBeforeKill += t.FinishedBeforeKill;
            sum.AckedSaves += t.AckedSaves;
            sum.AckedUploads += t.AckedUploads;
            sum.LostSaves += t.LostSaves;
            sum.LostUploads += t.LostUploads;
            sum.NeedsHand += t.NeedsHand;
            sum.IndexMismatches += t.IndexMismatches;
            sum.IncompleteImports += t.IncompleteImports;
            sum.IntegrityFailures += t.IntegrityFailures;
        }
        return sum;
    }

    [GeneratedRegex(@"/admin/media/(\d+)")]
    private static partial Regex MediaIdPattern();
}
