using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PovertyNews.Testing;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Media;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>
/// One running app for a whole test class (an <see cref="IClassFixture{TFixture}"/>): starting a host, migrating a
/// new database and importing content/ costs about a second, most tests against a running app a small part of that.
/// Each test calls <see cref="ResetAsync"/> first (from <see cref="IAsyncLifetime.InitializeAsync"/>), which puts
/// back everything a test can observe, so a test sees the app as if it had just started, alone or in any order.
/// </summary>
/// <remarks>
/// What a reset puts back:
/// <list type="bullet">
/// <item>The database, pages and all (users, roles and the audit log included), as it was right after start, through
/// SQLite's online backup API: it rewrites the live file in place, so the app's pooled connections stay valid, and it
/// bumps the schema cookie, so they read it again.</item>
/// <item>The caches built from it: the portal snapshot, the output cache, the sensitive-word list.</item>
/// <item>Reads counted but not yet written, media files written under the data folder, the SQL command counter.</item>
/// <item>The clock, back to the real current time, as a new <see cref="NewsFactory"/> starts it. Timers the app
/// made from it keep their remaining time (<see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider.AdjustTime"/>).</item>
/// <item>The client address (<see cref="NewsFactory.ClientAddress"/>), which starts a new sign-in rate limit.</item>
/// </list>
/// Data-protection keys stay: cookies and antiforgery tokens are per client, and clients are per test. So does the
/// search index's document count, which the app counts again at most once a minute (it only weighs the ranking).
/// </remarks>
public class SharedNewsApp : IAsyncLifetime
{
    private string? _databaseConnectionString;
    private SqliteConnection? _template;
    private PostgresSnapshot? _postgres;
    private string? _mediaFolder;
    private HashSet<string> _mediaEntries = [];

    public SharedNewsApp() : this(configureHost: null)
    {
    }

    /// <summary>For a differently configured app (settings, services); see <see cref="NewsFactory.ConfigureHost"/>.</summary>
    protected SharedNewsApp(Action<IWebHostBuilder>? configureHost) => Factory = new NewsFactory { ConfigureHost = configureHost };

    public NewsFactory Factory { get; }

    public async Task InitializeAsync()
    {
        // Starting the host migrates the database and imports content/ (Program runs PrepareDatabaseAsync first).
        var services = Factory.Services;
        if (Factory.PostgresConnectionString is { } postgres)
        {
            _postgres = await PostgresSnapshot.TakeAsync(postgres);
        }
        else
        {
            await TakeSqliteTemplateAsync(services);
        }
        _mediaFolder = services.GetRequiredService<MediaStore>().Folder;
        _mediaEntries = MediaEntries(_mediaFolder).ToHashSet();
    }

    private async Task TakeSqliteTemplateAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var live = scope.ServiceProvider.GetRequiredService<NewsDbContext>().Database.GetConnectionString()!;
            // Unpooled: these connections are the fixture's own, opened briefly, and must not linger in the app's pool.
            _databaseConnectionString = new SqliteConnectionStringBuilder(live) { Pooling = false }.ToString();
        }
        _template = new SqliteConnection("Data Source=:memory:");
        _template.Open();
        // The app's start-up work (the deferred integrity and index checks) may hold the file for a moment, and the
        // backup API does not wait for a lock as statements do: try again until it is free.
        await using var database = new SqliteConnection(_databaseConnectionString);
        database.Open();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                database.BackupDatabase(_template);
                return;
            }
            catch (SqliteException e) when (SqliteErrors.IsBusy(e) && attempt < 500)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Puts the app back as it was right after start; see the class remarks.</summary>
    public async Task ResetAsync()
    {
        var services = Factory.Services;
        var counter = services.GetRequiredService<ViewCounter>();
        // Before the database: a flush running now must not write a previous test's reads into the restored copy.
        counter.Drain();
        Factory.Clock.AdjustTime(NewsFactory.Now());
        await RestoreDatabaseAsync();
        RemoveNewMedia();
        counter.Drain();

        services.GetRequiredService<PortalCache>().Invalidate();
        services.GetRequiredService<SensitiveWordCache>().Invalidate();
        services.GetRequiredService<PovertyNews.Web.Search.SynonymCache>().Invalidate();
        // Every cached reader answer carries this tag.
        await services.GetRequiredService<ConsistentOutputCacheStore>().EvictByTagAsync(CacheTags.Reader, CancellationToken.None);
        Factory.Commands.Reset();
        Factory.UseNewClientAddress();
    }

    private async Task RestoreDatabaseAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.RestoreAsync();
            return;
        }
        await using var database = new SqliteConnection(_databaseConnectionString);
        database.Open();
        // A write the previous test started in the background (a view-count flush, a deferred cache eviction) may
        // still hold the write lock for a moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _template!.BackupDatabase(database);
                return;
            }
            catch (SqliteException e) when (SqliteErrors.IsBusy(e) && attempt < 50)
            {
                await Task.Delay(20);
            }
        }
    }

    private void RemoveNewMedia()
    {
        // Longest paths first, so files go before the folders that hold them.
        foreach (var entry in MediaEntries(_mediaFolder!).Where(e => !_mediaEntries.Contains(e)).OrderByDescending(e => e.Length))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    // The import of content/ writes no media, so after start this is the temporary folder alone; new entries are
    // all a test's, and removing them is the whole reset.
    private static IEnumerable<string> MediaEntries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories);

    public virtual Task DisposeAsync()
    {
        _template?.Dispose();
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The shared app with one review level, so a test publishes through the real forms in three steps.</summary>
public sealed class SingleReviewLevelApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:Newsroom:ReviewLevels", "1"));

/// <summary>
/// The shared app without the scheduled-publishing job's timer: for tests that decide themselves when a pass happens,
/// and for tests that move the clock by days with nothing scheduled (every 20 simulated seconds would be a pass with
/// a query, 34,560 of them in eight days, half a minute of processor).
/// </summary>
public sealed class NoSchedulePublisherApp() : SharedNewsApp(b => b.ConfigureTestServices(services =>
{
    foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SchedulePublisher)).ToList())
    {
        services.Remove(hosted);
    }
}));

/// <summary>The shared app with changes of reviewed text (a 更正) needing one level, by an editor other than their author.</summary>
public sealed class SingleChangeLevelApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:Newsroom:ChangeReviewLevels", "1"));
