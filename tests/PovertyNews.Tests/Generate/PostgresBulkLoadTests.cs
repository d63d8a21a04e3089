using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PovertyNews.Testing;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Tests.Generate;

/// <summary>
/// A large generate on PostgreSQL drops the unique secondary index and foreign keys of Articles and ArticleTags and
/// re-creates them; these tests hold it to the migrations' definitions and to getting them back after a kill.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresBulkLoadTests : IAsyncLifetime
{
    private readonly string _database = "bulk_" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private string _postgres = "";
    private List<string> _migrated = [];

    public async Task InitializeAsync()
    {
        _postgres = await PostgresCluster.Instance.CreateDatabaseAsync(_database);
        await using (var db = Postgres())
        {
            await db.Database.MigrateAsync();
        }
        _migrated = await DefinitionsAsync();
    }

    public Task DisposeAsync()
    {
        PostgresCluster.Instance.DropDatabase(_database);
        return Task.CompletedTask;
    }

    private NewsDbContext Postgres()
    {
        var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(options, _postgres);
        return new PostgresNewsDbContext(options.Options);
    }

    private async Task<string> GenerateAsync(int count, int seed, TextWriter? output = null, CancellationToken ct = default)
    {
        await using var db = Postgres();
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance);
        output ??= new StringWriter();
        await new CorpusGenerator(db, importer, _clock, searchIndex: null)
            .RunAsync(new GenerateOptions(count, seed, GenerateOptions.DefaultBatch, TestContent.Folder), output, TextWriter.Null, redraw: false, ct);
        return output.ToString()!;
    }

    /// <summary>Every index and constraint of the two tables as the catalog defines it, validity included.</summary>
    private async Task<List<string>> DefinitionsAsync()
    {
        await using var connection = new NpgsqlConnection(Unpooled());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 'index ' || x.indexname || ': ' || x.indexdef || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
            FROM pg_indexes x JOIN pg_index i ON i.indexrelid = format('%I.%I', x.schemaname, x.indexname)::regclass
            WHERE x.schemaname = 'public' AND x.tablename IN ('Articles', 'ArticleTags')
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid)
                   || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
            FROM pg_constraint WHERE conrelid IN ('"Articles"'::regclass, '"ArticleTags"'::regclass)
            ORDER BY 1
            """;
        var definitions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0));
        }
        return definitions;
    }

    private async Task<List<string>?> RecordedAsync()
    {
        await using var connection = new NpgsqlConnection(Unpooled());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT to_regclass('"{PostgresBulkLoad.DroppedTable}"') IS NOT NULL""";
        if (await command.ExecuteScalarAsync() is not true)
        {
            return null;
        }
        command.CommandText = $"""SELECT "Name" FROM "{PostgresBulkLoad.DroppedTable}" ORDER BY "Name" """;
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private string Unpooled() => new NpgsqlConnectionStringBuilder(_postgres) { Pooling = false }.ConnectionString;

    /// <summary>
    /// Ends every connection of the generator to the database at the moment it reports the drop, as a killed process
    /// or a crashed server would: nothing of it runs on the database any more, and its lock is gone.
    /// </summary>
    private void KillTheLoad()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresCluster.Instance.ConnectionString()) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // With a timeout, pg_terminate_backend waits until the backend is gone.
        command.CommandText = "SELECT count(pg_terminate_backend(pid, 30000)) FROM pg_stat_activity WHERE datname = @db";
        command.Parameters.AddWithValue("db", _database);
        command.ExecuteScalar();
    }

    private async Task KilledAfterDropAsync()
    {
        var output = new HookWriter("dropped", KillTheLoad);
        await Assert.ThrowsAnyAsync<Exception>(() => GenerateAsync(300, seed: 3, output));
        Assert.True(output.Fired);
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task LargeRun_IndexesAndForeignKeysEqualFreshMigration()
    {
        var output = await GenerateAsync(300, seed: 1);

        Assert.Contains("Articles and ArticleTags without their unique secondary indexes (1) and foreign keys (3)", output);
        Assert.Contains("indexes re-created in", output);
        Assert.Contains("inserted 300 articles", output);
        Assert.Equal(_migrated, await DefinitionsAsync());
        Assert.Null(await RecordedAsync());
        await using var db = Postgres();
        Assert.Equal(300 + TestContent.ArticleCount, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task KilledAfterDrop_DefinitionsRecorded_StartRestoresThem()
    {
        await KilledAfterDropAsync();

        var left = await DefinitionsAsync();
        var recorded = await RecordedAsync();
        Assert.NotNull(recorded);
        Assert.Equal(4, recorded.Count);
        Assert.Equal(_migrated.Count - recorded.Count, left.Count);

        await using (var db = Postgres())
        {
            await PostgresDatabase.RestoreAfterBulkLoadAsync(db, NullLogger.Instance, CancellationToken.None);
        }

        Assert.Equal(_migrated, await DefinitionsAsync());
        Assert.Null(await RecordedAsync());
    }

    [Fact]
    public async Task StartDuringLoad_WaitsForItToEnd_ThenRestores()
    {
        await KilledAfterDropAsync();
        // A load in progress: it holds the load lock on a connection of its own.
        await using var load = new NpgsqlConnection(Unpooled());
        await load.OpenAsync();
        await using (var take = load.CreateCommand())
        {
            take.CommandText = $"SELECT pg_advisory_lock({PostgresBulkLoad.LoadLockKey})";
            await take.ExecuteScalarAsync();
        }
        var waited = false;
        var logger = new WarningCounter(() => waited = true);

        await using var db = Postgres();
        var start = PostgresDatabase.RestoreAfterBulkLoadAsync(db, logger, CancellationToken.None);
        await WaitUntilAsync(WaitsOnLoadLockAsync);

        Assert.False(start.IsCompleted);
        Assert.True(waited);
        Assert.NotEqual(_migrated, await DefinitionsAsync());

        await load.CloseAsync(); // the load ends (here without re-creating them, as if killed now)
        await start;

        Assert.Equal(_migrated, await DefinitionsAsync());
        Assert.Null(await RecordedAsync());
    }

    /// <summary>True once a connection waits for the load lock (an advisory lock not granted).</summary>
    private async Task<bool> WaitsOnLoadLockAsync()
    {
        await using var connection = new NpgsqlConnection(Unpooled());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted";
        return Convert.ToInt64(await command.ExecuteScalarAsync()) > 0;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the start never waited for the load lock");
    }

    private sealed class WarningCounter(Action onWarning) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning && formatter(state, exception).Contains("waits for it to end", StringComparison.Ordinal))
            {
                onWarning();
            }
        }
    }

    [Fact]
    public async Task KilledAfterDrop_NextGenerateRestoresThem()
    {
        await KilledAfterDropAsync();
        Assert.NotEqual(_migrated, await DefinitionsAsync());

        // Smaller than the sample articles already in: this run keeps the indexes, after restoring them.
        var output = await GenerateAsync(5, seed: 4);

        Assert.Contains("re-created 4 indexes and constraints an interrupted load had left dropped", output);
        Assert.Contains("the run is small for the table", output);
        Assert.Equal(_migrated, await DefinitionsAsync());
        Assert.Null(await RecordedAsync());
    }

    [Fact]
    public async Task CancelledAfterDrop_IndexesBackBeforeTheCommandEnds()
    {
        using var cancel = new CancellationTokenSource();
        var output = new HookWriter("dropped", cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GenerateAsync(300, seed: 2, output, cancel.Token));

        Assert.True(output.Fired);
        Assert.Equal(_migrated, await DefinitionsAsync());
        Assert.Null(await RecordedAsync());
    }

    [Fact]
    public async Task SmallRunIntoBigTable_KeepsIndexes()
    {
        await GenerateAsync(300, seed: 1);
        List<string>? during = null;
        var output = new HookWriter("maintained row by row", () => during = DefinitionsAsync().GetAwaiter().GetResult());

        await GenerateAsync(100, seed: 1, output);

        Assert.Contains($"the run is small for the table (100 rows into {300 + TestContent.ArticleCount})", output.ToString());
        Assert.Equal(_migrated, during);
        Assert.Equal(_migrated, await DefinitionsAsync());
    }

    [Fact]
    public async Task OtherConnectionOpen_KeepsIndexes()
    {
        await using var site = new NpgsqlConnection(Unpooled());
        await site.OpenAsync();

        var output = await GenerateAsync(300, seed: 1);

        Assert.Contains("indexes maintained row by row: 1 other connections to the database", output);
        Assert.Equal(_migrated, await DefinitionsAsync());
    }

    /// <summary>Runs <paramref name="hook"/> when a line containing <paramref name="text"/> is written, on the writing thread.</summary>
    private sealed class HookWriter(string text, Action hook) : StringWriter
    {
        public bool Fired { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (!Fired && value is not null && value.Contains(text, StringComparison.Ordinal))
            {
                Fired = true;
                hook();
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
