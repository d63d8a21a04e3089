using System.Data.Common;
using System.Net;
using AngleSharp;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Testing;
using PovertyNews.Web.Data;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>
/// The real app over HTTP, on a fresh SQLite file in a temporary folder, with the repository's content/ imported
/// and a clock the test controls.
/// </summary>
public sealed class NewsFactory : WebApplicationFactory<Program>
{
    // Each test host would otherwise keep an inotify instance for appsettings reloads; a long run exhausts them.
    static NewsFactory() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "povertynews-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The database this run of the tests uses; see <see cref="TestDatabase"/>, or PostgreSQL for a node of a cluster.</summary>
    public DatabaseProvider Provider => SharedDatabase is null ? TestDatabase.Provider : DatabaseProvider.PostgreSql;

    /// <summary>A node of a cluster (<see cref="ClusterNodes"/>): the PostgreSQL database every node uses, made by the cluster.</summary>
    public string? SharedDatabase { get; init; }

    /// <summary>A node of a cluster: the Redis configuration through which the nodes hear one another.</summary>
    public string? Redis { get; init; }

    /// <summary>A node of a cluster: its name, and the media folder every node shares.</summary>
    public string? NodeName { get; init; }

    public string? SharedMediaPath { get; init; }

    private string? _postgresDatabase;

    /// <summary>The app's PostgreSQL database (one per app, in the run's private cluster); null on SQLite.</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>Starts at the real current time so the sample content (2020) is in the past.</summary>
    public FakeTimeProvider Clock { get; } = new(Now());

    /// <summary>
    /// The real current time in whole milliseconds: PostgreSQL keeps times to the microsecond, so a test that compares
    /// a time it read back with the clock's would otherwise differ in the seventh decimal there (not on SQLite).
    /// </summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public CommandCounter Commands { get; } = new();

    private static int _addresses;
    private IPAddress _clientAddress = NewAddress();

    /// <summary>
    /// The address every request to this app comes from. The sign-in rate limit counts per address, in limiters the
    /// app keeps for its lifetime; a shared app gives each test a new address (<see cref="UseNewClientAddress"/>) so
    /// that one test's sign-ins never count against the next one's.
    /// </summary>
    public IPAddress ClientAddress => Volatile.Read(ref _clientAddress);

    public void UseNewClientAddress() => Volatile.Write(ref _clientAddress, NewAddress());

    /// <summary>Requests come from <paramref name="address"/>: one client reaching several nodes of a cluster.</summary>
    public void UseClientAddress(IPAddress address) => Volatile.Write(ref _clientAddress, address);

    // Loopback addresses, unique in the test run: 127.0.0.1, 127.0.0.2, … 127.0.1.0, …
    private static IPAddress NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return new IPAddress([127, (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>More configuration of the host (settings, services), applied after the factory's own.</summary>
    public Action<IWebHostBuilder>? ConfigureHost { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("PovertyNews:DataPath", _dataPath);
        builder.UseSetting("PovertyNews:ContentPath", Path.Combine(RepositoryRoot, "content"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // No daily backup in a test host whose clock a test moves by days; the backup tests turn it on.
        builder.UseSetting("PovertyNews:Backup:Enabled", "false");
        if (SharedDatabase is not null)
        {
            PostgresConnectionString = SharedDatabase;
            builder.UseSetting("PovertyNews:Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:News", SharedDatabase);
            builder.UseSetting("PovertyNews:Cluster:Redis", Redis);
            builder.UseSetting("PovertyNews:Cluster:NodeName", NodeName);
            builder.UseSetting("PovertyNews:Media:Path", SharedMediaPath);
        }
        else if (Provider == DatabaseProvider.PostgreSql)
        {
            // Once per factory: a host made from it by WithWebHostBuilder runs this again and must find the same
            // database, as it finds the same data folder on SQLite.
            if (_postgresDatabase is null)
            {
                _postgresDatabase = "pn_" + Guid.NewGuid().ToString("N");
                PostgresConnectionString = PostgresCluster.Instance.CreateDatabaseAsync(_postgresDatabase).GetAwaiter().GetResult();
            }
            builder.UseSetting("PovertyNews:Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:News", PostgresConnectionString);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IInterceptor>(Commands);
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter(this));
            // Identity's default of 100,000 PBKDF2 iterations costs about 50 ms of processor per hash, and most newsroom
            // tests create several users and sign each in (a hash per creation and per sign-in): with the app shared,
            // that was most of what a test cost. How hard a stored hash is to crack is no behaviour a test looks at;
            // creating, verifying and changing passwords still go through the same hasher.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
        });
        ConfigureHost?.Invoke(builder);
    }

    public HttpClient CreateReader() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<T> WithDbAsync<T>(Func<NewsDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var result = await work(db);
        Services.GetRequiredService<PortalCache>().Invalidate();
        return result;
    }

    public Task WithDbAsync(Func<NewsDbContext, Task> work) => WithDbAsync(async db => { await work(db); return 0; });

    public Task<int> ArticleIdAsync(string slug) => WithDbAsync(db => db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            PostgresCluster.Instance.DropDatabase(_postgresDatabase);
        }
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PovertyNews.sln not found above the test binaries");
    }
}

/// <summary>Sets the client address before anything in the app's pipeline looks at it (a test request has no real connection).</summary>
internal sealed class ClientAddressFilter(NewsFactory factory) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = factory.ClientAddress;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>
/// Counts the SQL commands the app sends, to show a page's queries do not grow with its list, and keeps the last few
/// with their parameters, so a test can ask the database how it would run one (<see cref="QueryPlans"/>).
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;
    private readonly System.Collections.Concurrent.ConcurrentQueue<RecordedCommand> _recent = new();

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<RecordedCommand> Recent => [.. _recent];

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _recent.Clear();
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        _recent.Enqueue(new RecordedCommand(command.CommandText,
            [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
        while (_recent.Count > 64)
        {
            _recent.TryDequeue(out _);
        }
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }
}

public sealed record RecordedCommand(string Sql, (string Name, object? Value)[] Parameters);

public static class HtmlPage
{
    private static readonly IBrowsingContext Browser = BrowsingContext.New(Configuration.Default);

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus,
            $"GET {url} answered {(int)response.StatusCode}, expected {expectedStatus}");
        return (IHtmlDocument)await Browser.OpenAsync(req => req.Content(html).Address(new Uri(client.BaseAddress!, url)));
    }

    /// <summary>The response's body as a page, whatever its status (for answers checked by their status first).</summary>
    public static async Task<IHtmlDocument> ReadPageAsync(this HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return (IHtmlDocument)await Browser.OpenAsync(req => req.Content(html)
            .Address(response.RequestMessage?.RequestUri ?? new Uri("http://localhost/")));
    }

    public static string Text(this AngleSharp.Dom.IElement? element) =>
        element?.TextContent.Replace("\n", " ").Trim() ?? throw new Xunit.Sdk.XunitException("element not found");
}
