using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web;
using PovertyNews.Web.Data;
using PovertyNews.Web.Operations.Failures;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Operations.Metrics;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// Health, sizes and storage failures on PostgreSQL, with the app's own registrations (the app built on a database
/// of the private cluster, not started): the database size from the server, the integrity check with and without
/// amcheck, and PostgreSQL's failures recognised as storage failures (503, not 500).
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresHealthTests : IAsyncLifetime
{
    private readonly string _database = "pnhealth_" + Guid.NewGuid().ToString("N")[..16];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "povertynews-tests", "pghealth-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = "";
    private WebApplication? _app;

    private WebApplication App => _app!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(_database);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PovertyNews:DataPath"] = _data,
            ["PovertyNews:ContentPath"] = Path.Combine(NewsFactory.RepositoryRoot, "content"),
            ["PovertyNews:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:News"] = _connectionString,
            ["PovertyNews:Backup:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        builder.AddPovertyNews();
        _app = builder.Build();
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        PostgresCluster.Instance.DropDatabase(_database);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<HealthCheckResult> IntegrityHealthAsync() =>
        await ActivatorUtilities.CreateInstance<IntegrityHealthCheck>(App.Services).CheckHealthAsync(
            new HealthCheckContext { Registration = new HealthCheckRegistration("integrity", _ => null!, HealthStatus.Unhealthy, null) });

    [Fact]
    public async Task DatabaseSize_IsTheServersSizeOfTheDatabase()
    {
        var sizes = App.Services.GetRequiredService<StorageSizes>();

        var bytes = sizes.DatabaseBytes;

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        var actual = (long)(await command.ExecuteScalarAsync())!;
        Assert.NotNull(bytes);
        // Within a megabyte: the server's own files (statistics, free space maps) may move between the two queries.
        Assert.InRange(bytes!.Value, actual - 1_048_576, actual + 1_048_576);
        Assert.True(bytes > 1_000_000, $"a migrated database takes more than a megabyte, got {bytes}");
    }

    [Fact]
    public async Task Integrity_WithoutAmcheck_DoesNotApplyAndIsHealthy()
    {
        var integrity = App.Services.GetRequiredService<DatabaseIntegrity>();

        var result = await integrity.RunAsync(CancellationToken.None);

        Assert.Null(result);
        Assert.False(integrity.Applies);
        var health = await IntegrityHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains("amcheck extension is not installed", health.Description);
    }

    [Fact]
    public async Task Integrity_WithAmcheck_ChecksEveryIndexAndPasses()
    {
        await ExecuteAsync("CREATE EXTENSION amcheck");
        var integrity = App.Services.GetRequiredService<DatabaseIntegrity>();

        var result = await integrity.RunAsync(CancellationToken.None);

        Assert.True(integrity.Applies);
        Assert.True(result?.Passed, string.Join(" | ", result?.Problems ?? []));
        var health = await IntegrityHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.StartsWith("amcheck bt_index_check at ", health.Description);
    }

    [Fact]
    public async Task DamageReportedByPostgres_IsUnhealthyAtOnce()
    {
        var integrity = App.Services.GetRequiredService<DatabaseIntegrity>();
        await integrity.RunAsync(CancellationToken.None);
        var handler = ActivatorUtilities.CreateInstance<DatabaseDamageHandler>(App.Services);

        await handler.TryHandleAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(),
            new PostgresException("could not read block 7 in file \"base/16384/16400\"", "ERROR", "ERROR", "XX001"), CancellationToken.None);

        var health = await IntegrityHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("PostgreSQL reported corrupted data", health.Description);
    }

    [Theory]
    [InlineData("53100", StorageFailureKind.DiskFull)]
    [InlineData("57P01", StorageFailureKind.DatabaseUnavailable)]
    [InlineData("57P03", StorageFailureKind.DatabaseUnavailable)]
    [InlineData("08006", StorageFailureKind.DatabaseUnavailable)]
    [InlineData("40P01", StorageFailureKind.DatabaseBusy)]
    [InlineData("55P03", StorageFailureKind.DatabaseBusy)]
    public void PostgresStorageErrors_AreStorageFailures(string sqlState, StorageFailureKind kind)
    {
        var saving = new DbUpdateException("saving failed", new PostgresException("message", "FATAL", "FATAL", sqlState));

        var failure = StorageFailure.Recognize(saving);

        Assert.Equal(kind, failure?.Kind);
        Assert.Equal(sqlState, failure?.SqlState);
    }

    [Theory]
    [InlineData("23505")] // unique violation: the request's fault, not the storage's
    [InlineData("22001")] // value too long
    public void PostgresRequestErrors_AreNotStorageFailures(string sqlState) =>
        Assert.Null(StorageFailure.Recognize(new DbUpdateException("saving failed", new PostgresException("message", "ERROR", "ERROR", sqlState))));

    [Fact]
    public async Task ServerThatIsNotThere_IsAStorageFailure()
    {
        // A port nothing listens on: the cluster's own port with the server gone is what this stands for.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=3;Pooling=false");

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.Equal(StorageFailureKind.DatabaseUnavailable, StorageFailure.Recognize(error)?.Kind);
    }
}
