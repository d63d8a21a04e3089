using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Operations.Move;

/// <summary>
/// <c>copy-to --provider PostgreSql --connection "…"</c>: moves the configured SQLite site into an empty PostgreSQL
/// database (migrated first), verifies the copy, then builds the target's search index. Exit codes: 0 copied (or
/// already complete) and verified; 1 refused, failed, or the verification found a difference; 2 usage errors.
/// </summary>
public static class CopyToCommand
{
    public const string Usage =
        """
        usage: copy-to --provider PostgreSql --connection "<connection string>" [--batch <rows>] [--sample <rows>] [--verify-all] [--no-index]
          Copies the configured SQLite site (every table, ids kept) into an empty PostgreSQL database, which is
          migrated first; media files stay in the data folder. Stopped or killed, the same command continues where it
          stopped. At the end it compares row counts, every article's content and a random sample of rows of every
          table (--verify-all: every row of every table), then builds the search index on PostgreSQL.
          --batch: rows per transaction (default 5000). --sample: rows compared per table (default 200).
          --no-index: leave the search index to the site's first start on PostgreSQL.
          将 SQLite 网站复制到空的 PostgreSQL 数据库；中断后重新运行同一命令即可继续。
        """;

    internal sealed record Arguments(string Connection, int Batch, int Sample, bool VerifyAll, bool NoIndex);

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, bool errorIsTerminal) =>
        RunAsync(services, args, output, error, errorIsTerminal, batchCommitted: null);

    internal static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error,
        bool errorIsTerminal, Action<string, int>? batchCommitted)
    {
        var (parsed, problem) = Parse(args);
        if (parsed is null)
        {
            await error.WriteLineAsync($"copy-to: {problem}");
            await error.WriteLineAsync(Usage);
            return 2;
        }
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider != DatabaseProvider.Sqlite)
        {
            await error.WriteLineAsync("copy-to: the configured site is already on PostgreSQL; copy-to reads a site on SQLite " +
                "(leave PovertyNews:Database:Provider unset) / 当前配置的网站已在 PostgreSQL 上");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await CopyAsync(services, parsed, output, error, errorIsTerminal, batchCommitted, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await error.WriteLineAsync("copy-to: stopped; the batches committed stay in the target, and running the same command continues the copy / 已中断，重新运行同一命令即可继续");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> CopyAsync(IServiceProvider services, Arguments arguments, TextWriter output, TextWriter error,
        bool errorIsTerminal, Action<string, int>? batchCommitted, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        // As every command does: the source at the current schema, its audit log sealed.
        await source.Database.MigrateAsync(ct);
        await SqliteDatabase.PrepareAsync(source, ct);
        await AuditChain.SealAsync(source, ct);
        await source.Database.OpenConnectionAsync(ct);

        var connectionString = PostgresDatabase.ResolveConnectionString(arguments.Connection);
        var targetOptions = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(targetOptions, connectionString);
        await using var targetDb = new PostgresNewsDbContext(targetOptions.Options);
        try
        {
            var pending = (await targetDb.Database.GetPendingMigrationsAsync(ct)).Count();
            if (pending > 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"copy-to: applying {pending} migrations to the target…"));
                await targetDb.Database.MigrateAsync(ct);
            }
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"copy-to: cannot use the target database: {e.Message} / 无法连接或迁移目标数据库");
            return 1;
        }

        var tables = CopyPlan.Build(source, targetDb);
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync(ct);
        var copier = new SiteCopier(source, target, tables, new CopyOptions(arguments.Batch) { BatchCommitted = batchCommitted },
            error, errorIsTerminal);
        CopyOutcome outcome;
        try
        {
            outcome = await copier.RunAsync(ct);
        }
        catch (CopyRefusedException e)
        {
            await error.WriteLineAsync($"copy-to: refused: {e.Message}");
            return 1;
        }
        await ReportCopyAsync(outcome, output);

        var verifier = new CopyVerifier(source.Database.GetDbConnection(), target, tables);
        var full = arguments.VerifyAll ? tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(["Articles"]);
        var checks = await verifier.VerifyAsync(arguments.Sample, full, ct);
        foreach (var check in checks)
        {
            var counts = string.Create(CultureInfo.InvariantCulture,
                $"  {(check.Matches ? "ok  " : "DIFF")} {check.Table,-20} rows {check.SourceRows,10:N0} / {check.TargetRows,10:N0}");
            var hashes = string.Create(CultureInfo.InvariantCulture,
                $"{(full.Contains(check.Table) ? "all" : "sample")} {check.Hashed:N0} hashed {check.SourceHash?[..12]} / {check.TargetHash?[..12]}");
            await output.WriteLineAsync($"{counts}   {hashes}{(check.FirstDifference is { } d ? $"   first difference at {d}" : "")}");
        }
        var mismatched = checks.Where(c => !c.Matches).ToList();
        if (mismatched.Count > 0)
        {
            await error.WriteLineAsync($"copy-to: verification FAILED for {string.Join(", ", mismatched.Select(c => c.Table))} / 校验失败：源与目标不一致");
            // The usual cause: the site kept running on SQLite during or after the copy, or the copy was used.
            await error.WriteLineAsync("copy-to: if the SQLite site changed after the copy began, stop it and copy again into an empty database / " +
                "如果复制开始后 SQLite 网站仍有改动，请停止网站后复制到新的空数据库");
            return 1;
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"copy-to: verified: {checks.Count} tables, {checks.Sum(c => c.SourceRows):N0} rows; row counts and content hashes match / 校验通过"));

        if (arguments.NoIndex)
        {
            await output.WriteLineAsync("copy-to: search index not built (--no-index); the site builds it at its first start on PostgreSQL");
            return 0;
        }
        return await BuildSearchIndexAsync(services, connectionString, output, error, errorIsTerminal, ct);
    }

    private static async Task ReportCopyAsync(CopyOutcome outcome, TextWriter output)
    {
        if (outcome.AlreadyComplete)
        {
            await output.WriteLineAsync("copy-to: the copy is already complete; verifying it again / 复制已完成，重新校验");
            return;
        }
        var seconds = Math.Max(outcome.Elapsed.TotalSeconds, 0.001);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"copy-to: copied {outcome.TotalRows:N0} rows in {outcome.Elapsed.TotalSeconds:0.0} s ({outcome.TotalRows / seconds:N0} rows/s)"));
        if (outcome.Copied.TryGetValue("Articles", out var articles) && articles.Rows > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"copy-to: articles: {articles.Rows:N0} in {articles.Elapsed.TotalSeconds:0.0} s ({articles.Rows / Math.Max(articles.Elapsed.TotalSeconds, 0.001):N0}/s)"));
        }
        if (outcome.TruncatedTimes > 0)
        {
            // PostgreSQL keeps microseconds; SQLite kept the clock's 100 ns ticks.
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"copy-to: {outcome.TruncatedTimes:N0} times were kept to the microsecond (PostgreSQL's precision); the digit below was dropped"));
        }
    }

    /// <summary>
    /// Builds the target's search index through <see cref="ISearchIndex"/> of a service provider configured for the
    /// target, so whichever index the PostgreSQL provider registers is the one built.
    /// </summary>
    private static async Task<int> BuildSearchIndexAsync(IServiceProvider services, string connectionString, TextWriter output,
        TextWriter error, bool errorIsTerminal, CancellationToken ct)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment.EnvironmentName,
            ContentRootPath = environment.ContentRootPath,
            ApplicationName = environment.ApplicationName,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(services.GetRequiredService<IConfiguration>());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PovertyNews:Database:Provider"] = nameof(DatabaseProvider.PostgreSql),
            ["ConnectionStrings:News"] = connectionString,
        });
        builder.AddPovertyNews();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var index = scope.ServiceProvider.GetRequiredService<ISearchIndex>();
        var progress = new Generate.ProgressBar(error, "search index".PadRight(18), errorIsTerminal);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var count = await index.RebuildAsync(db, progress, ct);
            progress.Complete();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"copy-to: search index on PostgreSQL built ({count:N0} articles, {watch.Elapsed.TotalSeconds:0.0} s) / 已在 PostgreSQL 上建立检索索引"));
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            progress.Complete();
            await error.WriteLineAsync(
                $"copy-to: the data is copied and verified, but the search index on PostgreSQL could not be built " +
                $"({index.GetType().Name}: {e.GetBaseException().Message}). Run `reindex` with the PostgreSQL configuration. / " +
                "数据已复制并校验，但未能建立检索索引");
            return 1;
        }
    }

    /// <summary>--provider (PostgreSql only), --connection, --batch, --sample, --verify-all, --no-index; also as --key=value.</summary>
    internal static (Arguments? Parsed, string? Problem) Parse(string[] args)
    {
        string? provider = null, connection = null;
        int batch = CopyOptions.DefaultBatch, sample = 200;
        bool verifyAll = false, noIndex = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Equals("--verify-all", StringComparison.OrdinalIgnoreCase))
            {
                verifyAll = true;
                continue;
            }
            if (args[i].Equals("--no-index", StringComparison.OrdinalIgnoreCase))
            {
                noIndex = true;
                continue;
            }
            var (key, value) = args[i].Split('=', 2) is [var k, var v] && k.StartsWith("--", StringComparison.Ordinal)
                ? (k, v)
                : (args[i], i + 1 < args.Length ? args[++i] : null);
            if (value is null)
            {
                return (null, $"{key} needs a value");
            }
            switch (key.ToLowerInvariant())
            {
                case "--provider":
                    provider = value;
                    break;
                case "--connection":
                    connection = value;
                    break;
                case "--batch":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out batch) || batch is < 1 or > 1_000_000)
                    {
                        return (null, $"--batch must be a whole number from 1 to 1000000 (got '{value}')");
                    }
                    break;
                case "--sample":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out sample) || sample > 1_000_000)
                    {
                        return (null, $"--sample must be a whole number from 0 to 1000000 (got '{value}')");
                    }
                    break;
                default:
                    return (null, $"unknown option '{key}'");
            }
        }
        if (provider is null)
        {
            return (null, "--provider is required / 缺少 --provider");
        }
        if (!provider.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) && !provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"--provider '{provider}' is not supported; the only target is PostgreSql / 目前仅支持 PostgreSql");
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            return (null, "--connection is required, e.g. \"Host=127.0.0.1;Database=povertynews;Username=povertynews;Password=…\" / 缺少 --connection");
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException e)
        {
            return (null, $"--connection is not a PostgreSQL connection string: {e.Message}");
        }
        return (new Arguments(connection, batch, sample, verifyAll, noIndex), null);
    }
}
