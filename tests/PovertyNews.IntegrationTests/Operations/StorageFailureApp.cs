using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The shared app with a one-second busy timeout (instead of SQLite's 30), so a write behind another connection's lock
/// gives up quickly, and with <see cref="PageLimit"/> on the app's connections to make the database full on demand.
/// </summary>
public sealed class StorageFailureApp : SharedNewsApp
{
    public StorageFailureApp() : this(new PageLimit(), new CapturedEvents())
    {
    }

    private StorageFailureApp(PageLimit limit, CapturedEvents events) : base(b => b
        .UseSetting("ConnectionStrings:News", "Data Source=news.db;Default Timeout=1")
        .ConfigureTestServices(services =>
        {
            services.ConfigureDbContext<NewsDbContext>(o => o.AddInterceptors(limit));
            services.AddSingleton<Serilog.Core.ILogEventSink>(events);
        }))
    {
        Limit = limit;
        Events = events;
    }

    public PageLimit Limit { get; }

    /// <summary>What the app logged (Warning and above, the test host's level).</summary>
    public CapturedEvents Events { get; }

    /// <summary>The SQLite error code of the last "Storage unavailable" line.</summary>
    public object? LastLoggedSqliteError() => Events.All.LastOrDefault(e => e.MessageTemplate.Text.StartsWith("Storage unavailable", StringComparison.Ordinal))
        ?.Properties["SqliteErrorCode"] is Serilog.Events.ScalarValue { Value: var code } ? code : "no such line";

    /// <summary>
    /// Another process's write transaction on the database (BEGIN IMMEDIATE: readers go on, writers wait), held until
    /// the connection is disposed, which rolls it back.
    /// </summary>
    public async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var live = await Factory.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(live) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}

/// <summary>
/// SQLite's own limit on the database's size: while <see cref="Full"/>, each connection the app opens may not grow the
/// file beyond the pages it has (<c>PRAGMA max_page_count</c>), so a write that needs a new page fails with
/// SQLITE_FULL exactly as on a full disk.
/// </summary>
public sealed class PageLimit : DbConnectionInterceptor
{
    private volatile bool _full;

    public bool Full { get => _full; set => _full = value; }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        ApplyAsync(connection, CancellationToken.None).GetAwaiter().GetResult();

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);

    private async Task ApplyAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        var pages = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = $"PRAGMA max_page_count = {(Full ? pages : 1_073_741_823)};";
        await command.ExecuteNonQueryAsync(ct);
    }
}
