using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Testing;
using PovertyNews.Web.Data;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Search;

namespace PovertyNews.Benchmarks;

/// <summary>
/// The search benchmark's PostgreSQL side: a database started as the site starts (migrations, sample content), the
/// generate command's articles written straight into it with <c>COPY</c> (the same seed gives the same articles as on
/// SQLite), and the index rebuilt. The database is either one of the process's private cluster (gone at exit) or
/// the one <c>--pg-connection</c> names, which <c>--reuse</c> keeps from run to run once it holds the corpus and its
/// index: building the index of a large corpus takes far longer than the measurement.
/// </summary>
internal sealed class PostgresCorpus : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    private string? PrivateName { get; init; }
    public double GenerateSeconds { get; init; } = double.NaN;
    public double IndexSeconds { get; init; } = double.NaN;
    public long IndexPeak { get; init; }
    public long DatabaseBytes { get; private set; }

    public static async Task<PostgresCorpus> StartAsync(string folder, int size, int seed, string? connection, bool reuse)
    {
        string? privateName = null;
        if (connection is null)
        {
            privateName = $"bench_search_{size}_{Guid.NewGuid():N}"[..40];
            connection = await PostgresCluster.Instance.CreateDatabaseAsync(privateName);
        }
        Directory.CreateDirectory(folder + "-pg");
        var app = SearchBenchmark.BuildApp(folder + "-pg", new Dictionary<string, string?>
        {
            ["PovertyNews:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:News"] = connection,
        });
        await app.PrepareDatabaseAsync();

        var (articles, indexed) = await SearchBenchmark.WithDbAsync(app, async db =>
        {
            var count = await db.Articles.CountAsync();
            var index = await db.Database.SqlQueryRaw<int>("""SELECT count(*)::int AS "Value" FROM "ArticleSearch" """).SingleAsync();
            return (count, index);
        });
        // The sample content is a few dozen articles; a database with more holds a generated corpus.
        const int sampleAtMost = 1_000;
        if (reuse && articles >= size && indexed == articles)
        {
            Console.Error.WriteLine($"reusing the PostgreSQL corpus: {articles:N0} articles, all indexed");
            return await MeasuredAsync(new PostgresCorpus { App = app, PrivateName = privateName });
        }
        if (articles > sampleAtMost)
        {
            throw new InvalidOperationException(
                $"The database holds {articles:N0} articles ({indexed:N0} indexed), not a complete corpus of {size:N0} to reuse: give an empty database.");
        }

        var watch = Stopwatch.StartNew();
        var code = await Commands.RunAsync(app.Services, "generate",
            ["generate", "--count", size.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--no-index"],
            Console.In, Console.Out, Console.Error);
        if (code != 0)
        {
            throw new InvalidOperationException($"generate failed with exit code {code}");
        }
        var generateSeconds = watch.Elapsed.TotalSeconds;

        using var memory = new PeakMemory();
        watch.Restart();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var bar = new PovertyNews.Web.Generate.ProgressBar(Console.Error, "index", redraw: !Console.IsErrorRedirected);
            await scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, bar, CancellationToken.None);
            bar.Complete();
        }
        return await MeasuredAsync(new PostgresCorpus
        {
            App = app, PrivateName = privateName, GenerateSeconds = generateSeconds, IndexSeconds = watch.Elapsed.TotalSeconds,
            IndexPeak = memory.PeakBytes,
        });
    }

    private static async Task<PostgresCorpus> MeasuredAsync(PostgresCorpus corpus)
    {
        corpus.DatabaseBytes = await SearchBenchmark.WithDbAsync(corpus.App, db =>
            db.Database.SqlQueryRaw<long>("""SELECT pg_database_size(current_database()) AS "Value" """).SingleAsync());
        return corpus;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (PrivateName is not null)
        {
            PostgresCluster.Instance.DropDatabase(PrivateName);
        }
    }
}
