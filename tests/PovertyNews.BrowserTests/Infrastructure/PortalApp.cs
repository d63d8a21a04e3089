using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Reading;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>
/// The real app on Kestrel at a free loopback port (a browser cannot reach a TestServer), on a fresh SQLite file in
/// a temporary folder with the repository's content/ imported, and with a clock the test moves.
/// </summary>
public sealed class PortalApp : WebApplicationFactory<Program>
{
    public const string Password = "tea-garden-river-42";

    /// <summary>The smallest listing page the options allow, so a channel soon has more than one.</summary>
    public const int PageSize = 5;

    // Test hosts would otherwise each keep an inotify instance for appsettings reloads.
    static PortalApp() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "povertynews-browser", Guid.NewGuid().ToString("N"));

    public PortalApp() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    /// <summary>Starts at the real current time so the sample content (2020) is in the past; only tests move it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Where the started app answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("PovertyNews:DataPath", _dataPath);
        builder.UseSetting("PovertyNews:ContentPath", Path.Combine(RepositoryRoot, "content"));
        builder.UseSetting("PovertyNews:Reading:PageSize", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Every journey signs in from 127.0.0.1; the per-address limit is tested by the integration tests.
        builder.UseSetting("PovertyNews:Newsroom:SignInAttemptsPerMinute", "1000");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Starts Kestrel (migrations and the sample import run as at a real first start) and reads its address.</summary>
    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseAddress = new Uri(addresses.Single().TrimEnd('/') + "/");
    }

    /// <summary>Creates a newsroom user (roles are the stored names from <see cref="NewsRoles"/>) with <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string email, string displayName, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var result = await accounts.CreateAsync(email, displayName, Password, roles, "浏览器测试");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return email;
    }

    /// <summary>
    /// Adds plain published reports to a channel, dated before the sample content so they sort after it, to give a
    /// listing more pages than the sample content alone fills.
    /// </summary>
    public async Task AddOlderArticlesAsync(string channelSlug, int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var channelId = await db.Channels.Where(c => c.Slug == channelSlug).Select(c => c.Id).SingleAsync();
        var now = Clock.GetUtcNow().UtcDateTime;
        for (var i = 1; i <= count; i++)
        {
            var article = new Article
            {
                Slug = $"browser-{channelSlug}-{i}",
                Title = $"栏目翻页测试稿 {i}",
                Summary = "浏览器测试添加的稿件，用于检查栏目翻页。",
                ChannelId = channelId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            article.SetBody($"浏览器测试添加的第 {i} 篇稿件。", $"<p>浏览器测试添加的第 {i} 篇稿件。</p>");
            article.Publish(now, new DateTime(2019, 1, i, 2, 0, 0, DateTimeKind.Utc));
            db.Articles.Add(article);
        }
        await db.SaveChangesAsync();
        Services.GetRequiredService<PortalCache>().Invalidate();
    }

    public async Task<string> ArticleUrlAsync(string slug)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var id = await db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync();
        return $"/articles/{id}/{slug}";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
