using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Data;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.Benchmarks;

/// <summary>
/// Times <c>backup</c>, <c>backup --verify</c> and <c>restore</c> on a generated site while a writer keeps saving
/// articles through the DbContext (save pipeline and search index included), and reports how the writer fared
/// during each backup: saves done and the slowest one.
/// </summary>
public static class BackupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int size = 100_000, seed = 1, runs = 3;
        string? folder = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--size": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--folder": folder = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        folder ??= Path.Combine(Path.GetTempPath(), "povertynews-bench", $"n{size}-s{seed}");
        Directory.CreateDirectory(folder);
        await using var app = SearchBenchmark.BuildApp(folder);
        await app.PrepareDatabaseAsync();
        var articles = await WithDbAsync(app, db => db.Articles.CountAsync());
        if (articles < size)
        {
            var code = await Commands.RunAsync(app.Services, "generate",
                ["generate", "--count", (size - articles).ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)],
                Console.In, Console.Out, Console.Error);
            if (code != 0)
            {
                return code;
            }
        }
        await WithDbAsync(app, db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);"));
        var dbBytes = new FileInfo(Path.Combine(folder, "news.db")).Length;
        var ids = await WithDbAsync(app, db => db.Articles.Select(a => a.Id).ToListAsync());

        var backups = app.Services.GetRequiredService<BackupService>();
        var work = Path.Combine(Path.GetTempPath(), "povertynews-bench", "backup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var rows = new List<string>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                var file = Path.Combine(work, $"run{run}.zip");
                var saves = new List<(long Start, long End)>();
                using var stop = new CancellationTokenSource();
                var writer = Task.Run(() => WriteAsync(app, ids, saves, stop.Token));
                // Past the first saves (which compile the queries), so the last 20 before the backup are a baseline.
                while (CountOf(saves) < 30 && !writer.IsCompleted)
                {
                    await Task.Delay(50);
                }
                long peak;
                var started = Stopwatch.GetTimestamp();
                BackupResult result;
                using (var memory = new PeakMemory())
                {
                    result = await backups.CreateAsync(file);
                    peak = memory.PeakBytes;
                }
                var ended = Stopwatch.GetTimestamp();
                await stop.CancelAsync();
                await writer;
                var before = saves.Where(s => s.End <= started).TakeLast(20).ToList();
                var during = saves.Where(s => s.End > started && s.Start < ended).ToList();
                var slowest = during.Count == 0 ? 0 : during.Max(s => Stopwatch.GetElapsedTime(s.Start, s.End).TotalMilliseconds);
                var baseline = before.Count == 0 ? 0 : before.Max(s => Stopwatch.GetElapsedTime(s.Start, s.End).TotalMilliseconds);

                var watch = Stopwatch.StartNew();
                var check = await backups.VerifyAsync(file);
                var verifySeconds = watch.Elapsed.TotalSeconds;
                if (!check.Ok)
                {
                    Console.Error.WriteLine($"run {run}: the archive failed its check: {string.Join("; ", check.Problems)}");
                    return 1;
                }
                var restoreSeconds = double.NaN;
                if (run == 1)
                {
                    watch.Restart();
                    var restored = await backups.RestoreAsync(file, BackupLayout.InDataFolder(Path.Combine(work, "restored")));
                    restoreSeconds = watch.Elapsed.TotalSeconds;
                    if (!restored.Succeeded)
                    {
                        Console.Error.WriteLine($"restore failed: {string.Join("; ", restored.Problems)}");
                        return 1;
                    }
                }
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {run} | {result.Manifest.Counts.Articles:N0} | {dbBytes / 1048576.0:N0} MB | {result.Size / 1048576.0:N0} MB | {result.Elapsed.TotalSeconds:0.0} s | {peak / 1048576.0:N0} MB | slowest {baseline:N0} ms | {during.Count:N0}, slowest {slowest:N0} ms | {verifySeconds:0.0} s | {(double.IsNaN(restoreSeconds) ? "—" : $"{restoreSeconds:0.0} s")} |"));
                File.Delete(file);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
        Console.WriteLine("| run | articles | database | archive | backup | peak working set | 20 saves before the backup | saves during the backup | verify | restore |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>Saves one article after another (a changed summary, through the save pipeline) until stopped.</summary>
    private static async Task WriteAsync(WebApplication app, List<int> ids, List<(long, long)> saves, CancellationToken stop)
    {
        var random = new Random(1);
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
                var id = ids[random.Next(ids.Count)];
                var article = await db.Articles.SingleAsync(a => a.Id == id, CancellationToken.None);
                article.Summary = $"基准测试改写的摘要 {start}";
                await db.SaveChangesAsync(CancellationToken.None);
            }
            lock (saves)
            {
                saves.Add((start, Stopwatch.GetTimestamp()));
            }
        }
    }

    private static int CountOf(List<(long, long)> saves)
    {
        lock (saves)
        {
            return saves.Count;
        }
    }

    private static async Task<T> WithDbAsync<T>(WebApplication app, Func<NewsDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NewsDbContext>());
    }
}
