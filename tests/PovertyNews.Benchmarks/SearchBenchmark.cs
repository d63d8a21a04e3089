using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Testing;
using PovertyNews.Web;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Benchmarks;

/// <summary>
/// Builds corpora of generated articles and times the search page's query work (index query, loading the hits,
/// highlighting) for a fixed set of queries, in-process against the real services and a real SQLite file, or with
/// <c>--provider postgresql</c> a PostgreSQL database holding the same articles (<see cref="PostgresCorpus"/>).
/// </summary>
public static class SearchBenchmark
{
    private const int RareCandidatesToTry = 300;

    private sealed record Query(string Name, SearchForm Form, bool CheckRecall = false);

    private sealed record Measured(string Name, string Description, int Hits, bool LowerBound, double P50, double P95, double P99, string Recall);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        // A production server's share of memory (a quarter of this machine's 23 GB, capped), not the tests' 64 MB: the
        // index's TOASTed tsvectors and posting trees are what a search reads.
        PostgresCluster.SharedBuffers = "2GB";
        var report = new StringBuilder();
        var summary = new List<string>();
        var details = new List<string>();
        foreach (var size in options.Sizes)
        {
            var folder = Path.Combine(options.DataRoot, $"n{size}-s{options.Seed}");
            double generateSeconds = double.NaN, indexSeconds = double.NaN;
            long indexPeak = 0;
            long dbBytes;
            // PostgreSQL: the corpus is generated there directly (same seed, same articles as on SQLite).
            await using var postgres = options.Provider is "postgresql" or "postgres"
                ? await PostgresCorpus.StartAsync(folder, size, options.Seed, options.PgConnection, options.Reuse)
                : null;
            await using var sqlite = postgres is null ? BuildApp(folder) : null;
            if (sqlite is not null)
            {
                var fresh = !(options.Reuse && File.Exists(Path.Combine(folder, "news.db")));
                if (fresh && Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
                Directory.CreateDirectory(folder);
                await sqlite.PrepareDatabaseAsync();
                if (fresh)
                {
                    var watch = Stopwatch.StartNew();
                    var code = await Commands.RunAsync(sqlite.Services, "generate",
                        ["generate", "--count", size.ToString(CultureInfo.InvariantCulture), "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--no-index"],
                        Console.In, Console.Out, Console.Error);
                    if (code != 0)
                    {
                        Console.Error.WriteLine($"generate failed with exit code {code}");
                        return code;
                    }
                    generateSeconds = watch.Elapsed.TotalSeconds;

                    await using var scope = sqlite.Services.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                    using var memory = new PeakMemory();
                    watch.Restart();
                    var bar = new PovertyNews.Web.Generate.ProgressBar(Console.Error, "index", redraw: !Console.IsErrorRedirected);
                    await scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, bar, CancellationToken.None);
                    bar.Complete();
                    indexSeconds = watch.Elapsed.TotalSeconds;
                    indexPeak = memory.PeakBytes;
                }
                await WithDbAsync(sqlite, db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);"));
                dbBytes = Directory.GetFiles(folder, "news.db*").Sum(f => new FileInfo(f).Length);
            }
            else
            {
                (generateSeconds, indexSeconds, indexPeak, dbBytes) = (postgres!.GenerateSeconds, postgres.IndexSeconds, postgres.IndexPeak, postgres.DatabaseBytes);
            }
            var measuredApp = postgres?.App ?? sqlite!;
            var articles = await WithDbAsync(measuredApp, db => db.Articles.CountAsync());

            GC.Collect();
            var queries = await QueriesAsync(measuredApp);
            using var queryMemory = new PeakMemory();
            var measured = await MeasureAsync(measuredApp, queries, options.Runs);
            var queryPeak = queryMemory.PeakBytes;

            var all = measured.SelectMany(m => m.Samples).Order().ToArray();
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {articles:N0} | {Seconds(generateSeconds)} | {Seconds(indexSeconds)} | {dbBytes / 1048576.0:N0} MB | {(indexPeak == 0 ? "—" : $"{indexPeak / 1048576.0:N0} MB")} | {queryPeak / 1048576.0:N0} MB | {Percentile(all, 0.50):0.0} | {Percentile(all, 0.95):0.0} | {Percentile(all, 0.99):0.0} |"));
            foreach (var m in measured.Select(m => m.Result))
            {
                details.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {articles:N0} | {m.Name} | `{m.Description}` | {(m.LowerBound ? ">" : "")}{m.Hits:N0} | {m.P50:0.0} | {m.P95:0.0} | {m.P99:0.0} | {m.Recall} |"));
            }
            Console.WriteLine($"done: {articles:N0} articles");
        }

        report.AppendLine("| Articles | Generate | Index build | Database | Peak memory (index build) | Peak memory (queries) | p50 ms | p95 ms | p99 ms |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        summary.ForEach(l => report.AppendLine(l));
        report.AppendLine();
        report.AppendLine("| Articles | Query | Form | Hits | p50 ms | p95 ms | p99 ms | Hits checked |");
        report.AppendLine("|---:|---|---|---:|---:|---:|---:|---|");
        details.ForEach(l => report.AppendLine(l));
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString());
        }
        return 0;
    }

    internal static WebApplication BuildApp(string folder, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PovertyNews:DataPath"] = folder,
            ["PovertyNews:ContentPath"] = Path.Combine(RepositoryRoot(), "content"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddPovertyNews();
        return builder.Build();
    }

    private static async Task<List<Query>> QueriesAsync(WebApplication app)
    {
        // The rare word: a two-character word from the corpus's own text whose hit count is nearest 0.1 % of the
        // corpus (the sample vocabulary is small, so the usual suspects are found in most articles).
        var articles = await WithDbAsync(app, db => db.Articles.CountAsync());
        var texts = await WithDbAsync(app, db => db.Articles.OrderBy(a => a.Id).Select(a => a.Title + a.Summary).Take(400).ToListAsync());
        var candidates = texts.SelectMany(t => Enumerable.Range(0, Math.Max(0, t.Length - 1)).Select(i => t.Substring(i, 2)))
            .Where(w => w.All(c => ChineseText.IsChinese(c))).Distinct().Take(RareCandidatesToTry).ToList();
        var counts = new List<(string Word, int Hits)>();
        foreach (var word in candidates)
        {
            var outcome = await SearchAsync(app, new SearchForm { Q = word });
            if (outcome.Total > 0 && !outcome.TotalIsLowerBound)
            {
                counts.Add((word, outcome.Total));
            }
        }
        var rare = counts.OrderBy(c => Math.Abs(Math.Log(c.Hits / (articles * 0.001)))).Select(c => c.Word).FirstOrDefault() ?? "熊猫";
        return
        [
            new("common 2-character word", new SearchForm { Q = "扶贫" }, CheckRecall: true),
            new("rare 2-character word", new SearchForm { Q = rare }, CheckRecall: true),
            new("4-character word", new SearchForm { Q = "精准扶贫" }),
            new("phrase", new SearchForm { Q = "\"东西部扶贫协作\"" }),
            new("two words", new SearchForm { Q = "湘西 旅游" }),
            new("word + channel", new SearchForm { Q = "扶贫", Channel = "chanye" }),
            new("word + date range", new SearchForm { Q = "湘西", From = "2022-01-01", To = "2022-12-31" }),
            new("sorted by date", new SearchForm { Q = "扶贫", Sort = "date" }),
        ];
    }

    private static async Task<List<(Measured Result, double[] Samples)>> MeasureAsync(WebApplication app, List<Query> queries, int runs)
    {
        var samples = queries.ToDictionary(q => q, _ => new List<double>());
        var outcomes = new Dictionary<Query, SearchOutcome>();
        foreach (var q in queries)
        {
            // Warm-up: compile the EF queries and bring the pages in.
            for (var i = 0; i < 3; i++)
            {
                outcomes[q] = await SearchAsync(app, q.Form);
            }
        }
        // Round-robin, so a noisy second on the shared machine spreads over every query instead of hitting one.
        for (var run = 0; run < runs; run++)
        {
            foreach (var q in queries)
            {
                var watch = Stopwatch.StartNew();
                await SearchAsync(app, q.Form);
                samples[q].Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        var results = new List<(Measured, double[])>();
        foreach (var q in queries)
        {
            var sorted = samples[q].Order().ToArray();
            var outcome = outcomes[q];
            var recall = q.CheckRecall ? await CheckRecallAsync(app, q.Form.Q!, outcome) : "";
            results.Add((new Measured(q.Name, Describe(q.Form), outcome.Total, outcome.TotalIsLowerBound,
                Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), recall), sorted));
        }
        return results;
    }

    /// <summary>
    /// Compares the index's count with a full scan (LIKE over every searched field of every visible article) and
    /// checks that each hit on the first page contains the word.
    /// </summary>
    private static async Task<string> CheckRecallAsync(WebApplication app, string word, SearchOutcome outcome)
    {
        var now = DateTime.UtcNow;
        var pattern = $"%{word}%";
        var scanned = await WithDbAsync(app, db => db.Articles.Where(Article.VisibleAt(now))
            .Where(a => EF.Functions.Like(a.Title, pattern) || EF.Functions.Like(a.Subtitle ?? "", pattern)
                || EF.Functions.Like(a.Summary, pattern) || EF.Functions.Like(a.BodyHtml, pattern)
                || EF.Functions.Like(a.Source ?? "", pattern) || EF.Functions.Like(a.Author ?? "", pattern)
                || a.Tags.Any(t => EF.Functions.Like(t.Name, pattern)))
            .CountAsync());
        var ids = outcome.Items.Select(i => i.Card.Id).ToList();
        var texts = await WithDbAsync(app, db => db.Articles.Where(a => ids.Contains(a.Id))
            .Select(a => a.Title + a.Subtitle + a.Summary + a.BodyHtml + a.Source + a.Author + string.Join(",", a.Tags.Select(t => t.Name)))
            .ToListAsync());
        var wrong = texts.Count(t => !t.Contains(word, StringComparison.Ordinal));
        var expected = outcome.TotalIsLowerBound ? $"≥{outcome.Total:N0}" : $"{outcome.Total:N0}";
        var agrees = outcome.TotalIsLowerBound ? scanned >= outcome.Total : scanned == outcome.Total;
        return string.Create(CultureInfo.InvariantCulture,
            $"scan finds {scanned:N0} (index {expected}) {(agrees ? "✓" : "✗")}; first page {ids.Count - wrong}/{ids.Count} contain it");
    }

    private static async Task<SearchOutcome> SearchAsync(WebApplication app, SearchForm form)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ArticleSearch>().RunAsync(form.Copy(), SearchScope.Public, "/search", CancellationToken.None);
    }

    internal static async Task<T> WithDbAsync<T>(WebApplication app, Func<NewsDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NewsDbContext>());
    }

    private static string Describe(SearchForm form) => form.ToUrl("/search");

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Seconds(double s) => double.IsNaN(s) ? "(reused)" : string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PovertyNews.sln not found above " + AppContext.BaseDirectory);
    }
}
