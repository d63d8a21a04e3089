using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// A newcomer's first start, as `dotnet run` makes it: environment Production, Kestrel on a real port, an empty data
/// folder, the log at Information. What the log file says is what the console says.
/// </summary>
// Provider-specific: the SQLite file, its header and its creation mark.
[Trait("Provider", "Sqlite")]
[Collection(nameof(FirstStartTests))]
public sealed partial class FirstStartTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "povertynews-tests", "first-start-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task EmptyDataFolder_StartsWithoutWarningsAndEndsWithWhereAndHowToSignIn()
    {
        await using var app = new FirstStartFactory(_dataPath);
        app.UseKestrel(0);
        app.StartServer();

        // The database's quick_check waits for the start's first render, so its line comes after the ready line.
        var log = await ReadLogUntilAsync("Database integrity check passed");
        var lines = log.Split('\n').Where(line => line.Trim().Length > 0).ToList();
        var ready = lines.Single(line => line.Contains("PovertyNews is ready at"));
        var articles = Directory.GetFiles(Path.Combine(NewsFactory.RepositoryRoot, "content", "articles"), "*.md").Length;

        Assert.DoesNotMatch(WarningOrWorse(), log);
        Assert.True(Regex.IsMatch(ready, @"\[INF\] PovertyNews is ready at http://(127\.0\.0\.1|localhost):\d+ "), ready);
        Assert.Contains($"{articles} sample articles were imported", ready);
        Assert.Contains("create-user --email you@example.com --role Administrator", ready);
        Assert.True(Regex.IsMatch(ready, @"sign in at http://(127\.0\.0\.1|localhost):\d+/admin/signin"), ready);
        Assert.Equal(lines.IndexOf(ready) + 1, lines.FindIndex(line => line.Contains("Database integrity check passed")));
        using var page = await app.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task StartKilledWhileMigrating_LeftItsLock_TheNextStartRemovesItAndComesUp()
    {
        Directory.CreateDirectory(_dataPath);
        var path = Path.Combine(_dataPath, "news.db");
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<PovertyNews.Web.Data.NewsDbContext>().UseSqlite($"Data Source={path}").Options;
        await using (var db = new PovertyNews.Web.Data.NewsDbContext(options))
        {
            // An older schema, and the row EF Core's migrator leaves behind when its process is killed mid-way.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = 0;");
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261205103914_AuditChain");
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-05 10:00:00+00:00');""");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var app = new FirstStartFactory(_dataPath);
        app.UseKestrel(0);

        // Without the guard EF Core waits for the lock forever; the bound only keeps a broken start from hanging the run.
        await Task.Run(() => app.StartServer()).WaitAsync(TimeSpan.FromMinutes(3));

        var log = await ReadLogUntilReadyAsync();
        Assert.Contains("Removed the migrations lock left in", log);
        using var page = await app.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>The log file up to the ready line, which comes after the start's warm-up request.</summary>
    private Task<string> ReadLogUntilReadyAsync() => ReadLogUntilAsync("PovertyNews is ready at");

    private async Task<string> ReadLogUntilAsync(string expected)
    {
        var logs = Path.Combine(_dataPath, "logs");
        // A generous bound for a machine shared with other test projects; it only keeps a broken start from hanging.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs, "*.log") : [])
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var text = await new StreamReader(stream).ReadToEndAsync(timeout.Token);
                if (text.Contains(expected))
                {
                    return text;
                }
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    [GeneratedRegex(@"\[(WRN|ERR|FTL)\]")]
    private static partial Regex WarningOrWorse();

    private sealed class FirstStartFactory(string dataPath) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("PovertyNews:DataPath", dataPath);
            builder.UseSetting("PovertyNews:ContentPath", Path.Combine(NewsFactory.RepositoryRoot, "content"));
        }
    }
}

/// <summary>
/// Alone, after the other tests: every host of the app sets Serilog's static logger and closing one silences it, so a
/// host starting beside others writes part of its start to their log files or to nowhere.
/// </summary>
[CollectionDefinition(nameof(FirstStartTests), DisableParallelization = true)]
public sealed class FirstStartCollection;
