using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Testing;
using PovertyNews.Web;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Search;

namespace PovertyNews.Benchmarks;

/// <summary>
/// The search benchmark's PostgreSQL side: a database in the process's private cluster, started as the site starts
/// (migrations, sample content), then the SQLite corpus's generated articles copied in with their ids and tags, and
/// the index rebuilt. The generate command's bulk insert does not run on PostgreSQL yet; a copy also makes both
/// providers' corpora the same article for article.
/// </summary>
internal sealed class PostgresCopy : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public required string Name { get; init; }
    public double CopySeconds { get; init; }
    public double IndexSeconds { get; init; }
    public long IndexPeak { get; init; }
    public long DatabaseBytes { get; init; }

    public static async Task<PostgresCopy> StartAsync(WebApplication sqlite, string folder, int size)
    {
        var name = $"bench_search_{size}_{Guid.NewGuid():N}"[..40];
        var connection = await PostgresCluster.Instance.CreateDatabaseAsync(name);
        var app = SearchBenchmark.BuildApp(folder + "-pg", new Dictionary<string, string?>
        {
            ["PovertyNews:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:News"] = connection,
        });
        Directory.CreateDirectory(folder + "-pg");
        await app.PrepareDatabaseAsync();

        var watch = Stopwatch.StartNew();
        await using (var scope = sqlite.Services.CreateAsyncScope())
        {
            var from = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
            PostgresDatabase.Configure(options, connection);
            var copied = 0;
            var after = await SearchBenchmark.WithDbAsync(app, db => db.Articles.MaxAsync(a => a.Id));
            var total = await from.Articles.CountAsync(a => a.Id > after);
            while (true)
            {
                var batch = await from.Articles.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(5_000).ToListAsync();
                if (batch.Count == 0)
                {
                    break;
                }
                var ids = batch.Select(a => a.Id).ToList();
                var tags = await from.Database.SqlQueryRaw<ArticleTag>(
                    """SELECT "ArticlesId", "TagsId" FROM "ArticleTags" WHERE "ArticlesId" BETWEEN {0} AND {1}""", ids[0], ids[^1]).ToListAsync();
                await using (var to = new PostgresNewsDbContext(options.Options))
                {
                    to.ChangeTracker.AutoDetectChangesEnabled = false;
                    to.Articles.AddRange(batch);
                    await to.SaveChangesAsync();
                    await to.Database.ExecuteSqlRawAsync(
                        """INSERT INTO "ArticleTags" ("ArticlesId", "TagsId") SELECT * FROM unnest({0}, {1})""",
                        tags.Select(t => t.ArticlesId).ToArray(), tags.Select(t => t.TagsId).ToArray());
                }
                after = ids[^1];
                copied += batch.Count;
                Console.Error.Write($"\rcopy to PostgreSQL: {copied:N0}/{total:N0}");
            }
            Console.Error.WriteLine();
            await using var fix = new PostgresNewsDbContext(options.Options);
            await fix.Database.ExecuteSqlRawAsync("""SELECT setval(pg_get_serial_sequence('"Articles"', 'Id'), (SELECT max("Id") FROM "Articles"))""");
            await fix.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE "Articles" """);
        }
        var copySeconds = watch.Elapsed.TotalSeconds;

        using var memory = new PeakMemory();
        watch.Restart();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var bar = new PovertyNews.Web.Generate.ProgressBar(Console.Error, "index", redraw: !Console.IsErrorRedirected);
            await scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, bar, CancellationToken.None);
            bar.Complete();
        }
        var indexSeconds = watch.Elapsed.TotalSeconds;
        var bytes = await SearchBenchmark.WithDbAsync(app, db =>
            db.Database.SqlQueryRaw<long>("""SELECT pg_database_size(current_database()) AS "Value" """).SingleAsync());
        return new PostgresCopy
        {
            App = app, Name = name, CopySeconds = copySeconds, IndexSeconds = indexSeconds, IndexPeak = memory.PeakBytes, DatabaseBytes = bytes,
        };
    }

    private sealed record ArticleTag(int ArticlesId, int TagsId);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        PostgresCluster.Instance.DropDatabase(Name);
    }
}
