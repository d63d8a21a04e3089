using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PovertyNews.Testing;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Benchmarks;

/// <summary>
/// The insert rate of <c>generate</c> into a fresh database on either provider: the sample content imported, then
/// <c>--size</c> articles generated (no search index: that is the search benchmark's build figure). PostgreSQL is the
/// private test cluster (fsync off) unless <c>--connection</c> names a server with an empty database.
/// </summary>
/// <remarks>
/// The context has no save pipeline, so the sample import does not go through the search index: the rate measured
/// is the generator's, whichever search index the provider has.
/// </remarks>
public static class GenerateBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int size = 100_000, seed = 1, batch = GenerateOptions.DefaultBatch, runs = 1;
        var provider = DatabaseProvider.Sqlite;
        string? connection = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--size": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--provider": provider = Next().StartsWith("p", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite; break;
                case "--connection": connection = Next(); break;
                case "--text-only": return TextOnly(size, seed);
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        var rates = new List<double>();
        var cpu = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (context, cleanup) = await FreshDatabaseAsync(provider, connection, run);
            try
            {
                await using var db = context();
                await db.Database.MigrateAsync();
                var clock = TimeProvider.System;
                var importer = new ContentImporter(db, new MarkdownRenderer(), Gate(db, clock), clock, NullLogger<ContentImporter>.Instance);
                await importer.ImportAsync(Path.Combine(SearchBenchmark.RepositoryRoot(), "content"));
                // Processor time of the whole process over the generate call (the insert plus the final checkpoint):
                // on a shared machine it moves less with the neighbours' load than the wall-clock rate does.
                var processor = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                using var threads = new ThreadTimes();
                var result = await new CorpusGenerator(db, importer, clock, searchIndex: null).RunAsync(
                    new GenerateOptions(size, seed, batch, Path.Combine(SearchBenchmark.RepositoryRoot(), "content")),
                    Console.Out, Console.Error, redraw: !Console.IsErrorRedirected);
                rates.Add(result.Rate);
                var used = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds;
                cpu.Add(used * 1e6 / size);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: {result.Rate:N0} articles/s, processor {used:0.0} s ({used * 1e6 / size:0.0} µs an article, all threads)"));
                Console.WriteLine(threads.Report(size));
            }
            finally
            {
                cleanup();
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{provider}: {size:N0} articles, batch {batch:N0}, runs {runs}: {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} articles/s; median {Median(rates):N0}/s, processor median {Median(cpu):0.0} µs an article"));
        return 0;
    }

    /// <summary>
    /// Processor time of each thread of this process by name while the generator runs (Linux /proc), sampled every
    /// 100 ms and kept after a thread ends: the writing thread's µs an article is the rate's ceiling, whatever the
    /// neighbours on a shared machine take.
    /// </summary>
    private sealed class ThreadTimes : IDisposable
    {
        private readonly Dictionary<string, double> _start = new();
        private readonly Dictionary<string, double> _last = new();
        private readonly Timer? _timer;

        public ThreadTimes()
        {
            if (!Directory.Exists("/proc/self/task"))
            {
                return;
            }
            foreach (var (name, seconds) in Read())
            {
                _start[name] = seconds;
            }
            _timer = new Timer(_ => Sample(), null, 0, 100);
        }

        public string Report(int articles)
        {
            _timer?.Dispose();
            Sample();
            lock (_last)
            {
                return string.Join(", ", _last
                    .Select(t => (t.Key, Seconds: t.Value - _start.GetValueOrDefault(t.Key)))
                    .Where(t => t.Seconds > 0.05)
                    .OrderByDescending(t => t.Seconds)
                    .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Seconds * 1e6 / articles:0.0} µs")));
            }
        }

        public void Dispose() => _timer?.Dispose();

        private void Sample()
        {
            var now = Read();
            lock (_last)
            {
                // Threads of a kind (pool workers) share a name: their times add up; an ended thread keeps its last time.
                foreach (var (name, seconds) in now)
                {
                    _last[name] = Math.Max(_last.GetValueOrDefault(name), seconds);
                }
            }
        }

        private static Dictionary<string, double> Read()
        {
            var byName = new Dictionary<string, double>();
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var open = stat.IndexOf('(');
                    var close = stat.LastIndexOf(')');
                    var name = stat[(open + 1)..close];
                    var fields = stat[(close + 2)..].Split(' ');
                    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second).
                    var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                    byName[name] = byName.GetValueOrDefault(name) + seconds;
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
            return byName;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The articles made on one thread with no database: the most the writing side could be given.</summary>
    private static int TextOnly(int size, int seed)
    {
        var content = Path.Combine(SearchBenchmark.RepositoryRoot(), "content");
        var sample = SampleText.Load(content);
        var model = MarkovText.Train(sample.Sentences, CorpusGenerator.TextOrder);
        var now = DateTime.UtcNow;
        var factory = new ArticleFactory(model, sample, new GenerationScope([1, 2, 3], [4], [1, 2, 3, 4, 5], now.AddYears(-10), now), seed);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long characters = 0;
        for (var i = 0; i < size; i++)
        {
            characters += factory.Create(i + 1, i, size).BodyHtml.Length;
        }
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"text only: {size:N0} articles in {watch.Elapsed.TotalSeconds:0.0} s ({size / watch.Elapsed.TotalSeconds:N0}/s, {characters / size:N0} HTML characters each)"));
        return 0;
    }

    private static async Task<(Func<NewsDbContext> Context, Action Cleanup)> FreshDatabaseAsync(DatabaseProvider provider, string? connection, int run)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            string connectionString;
            Action cleanup = () => { };
            if (connection is null)
            {
                var name = $"generate_bench_{run}";
                PostgresCluster.Instance.DropDatabase(name);
                connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(name);
                cleanup = () => PostgresCluster.Instance.DropDatabase(name);
            }
            else
            {
                connectionString = connection;
                await using var check = new NpgsqlConnection(connection);
                await check.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", check);
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    throw new InvalidOperationException("--connection must name an empty database");
                }
            }
            var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
            PostgresDatabase.Configure(options, connectionString);
            return (() => new PostgresNewsDbContext(options.Options), cleanup);
        }
        var folder = Path.Combine(Path.GetTempPath(), $"povertynews-generate-bench-{run}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "news.db"), Pooling = false }.ToString();
        await using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(sqlite).Options))
        {
            await db.Database.MigrateAsync();
            await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        }
        return (() => new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(sqlite).Options),
            () => Directory.Delete(folder, recursive: true));
    }

    /// <summary>The newsroom's word gate on this context, wired as the app wires it.</summary>
    private static IReaderTextGate Gate(NewsDbContext db, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddSingleton(db);
        services.AddOptions<NewsroomOptions>();
        services.AddNewsroomAccess();
        services.AddSingleton<IHttpContextAccessor, HttpContextAccessor>();
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<SensitiveWordCache>();
        services.AddScoped<TextScreening>();
        services.AddScoped<ArticleScreening>();
        services.AddScoped<AuditLog>();
        services.AddScoped<ArticleEditor>();
        services.AddScoped<ReaderTextGate>();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<ReaderTextGate>();
    }
}
