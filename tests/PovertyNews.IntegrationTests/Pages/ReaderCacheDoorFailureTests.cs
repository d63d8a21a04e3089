using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The shared app whose database reads can be made to fail on demand (<see cref="FailingReads"/>).</summary>
public sealed class FailingReadsApp : SharedNewsApp
{
    public FailingReadsApp() : this(new FailingReads())
    {
    }

    // Registered as the app registers its own interceptors, which every context of either provider gets.
    private FailingReadsApp(FailingReads reads) : base(b => b.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(reads)))
    {
        Reads = reads;
    }

    public FailingReads Reads { get; }
}

/// <summary>
/// While <see cref="Failing"/>, every query of the app fails as a busy database does: SQLITE_BUSY on SQLite, "cannot
/// connect now" (57P03) on PostgreSQL.
/// </summary>
public sealed class FailingReads : DbCommandInterceptor
{
    private volatile bool _failing;

    public bool Failing { get => _failing; set => _failing = value; }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result) => Failing ? throw Busy(command) : result;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        Failing ? throw Busy(command) : ValueTask.FromResult(result);

    private static Exception Busy(DbCommand command) => command is NpgsqlCommand
        ? new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")
        : new SqliteException("database is locked", 5);
}

/// <summary>The door answers nothing it could not check: when the portal snapshot cannot be rebuilt, the pipeline answers.</summary>
public sealed class ReaderCacheDoorFailureTests(FailingReadsApp shared) : DoorTests(shared), IClassFixture<FailingReadsApp>
{
    [Fact]
    public async Task SnapshotRebuildFailsAtTheDoor_ThePipelineAnswers503_AndTheNextReadAfterwardsIsFresh()
    {
        var door = shared.Factory.Services.GetRequiredService<ReaderCacheDoor>();
        var portal = shared.Factory.Services.GetRequiredService<PortalCache>();
        var served = door.Served;
        for (var i = 0; i < 3; i++)
        {
            (await Reader.GetAsync("/")).EnsureSuccessStatusCode();
        }
        Assert.Equal(served + 1, door.Served); // the third read came from the door's copy

        // Stale, as after a save on another node; the rebuild the door asks for fails.
        portal.Invalidate();
        shared.Reads.Failing = true;
        HttpResponseMessage failed;
        try
        {
            failed = await Reader.GetAsync("/");
        }
        finally
        {
            shared.Reads.Failing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(served + 1, door.Served);

        var after = await Reader.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
