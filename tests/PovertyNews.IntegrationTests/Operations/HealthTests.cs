using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Media;
using PovertyNews.Web.Search.Postgres;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// <c>/healthz/live</c> and <c>/healthz/ready</c> over HTTP: every check passes on a sound site, and readiness fails
/// (503, the failing check named) on each cause it looks for, while liveness stays 200.
/// </summary>
public sealed class HealthTests(HealthTests.App shared) : IClassFixture<HealthTests.App>, IAsyncLifetime
{
    private static readonly string[] ReadyChecks = ["database", "integrity", "search-index", "data-folder", "media-folder", "disk-space"];

    /// <summary>The shared app without the health answer cache (<see cref="HealthCacheTests"/> covers it).</summary>
    public sealed class App() : SharedNewsApp(HealthProbe.Uncached);

    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await HealthProbe.IntegrityCheckedAsync(_factory);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ready_OnASoundSite_AnswersHealthyForEveryCheck()
    {
        var ready = await HealthProbe.GetAsync(_factory, "/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Healthy", ready.Status);
        Assert.Equal(ReadyChecks.Order(), ready.Checks.Keys.Order());
        Assert.All(ReadyChecks, name => Assert.Equal("Healthy", ready.CheckStatus(name)));
        // SQLite's quick_check has run (InitializeAsync waits for it); PostgreSQL has no counterpart without amcheck,
        // which the test clusters lack, and the check says so while staying healthy.
        Assert.Contains(_factory.Provider == PovertyNews.Web.Data.DatabaseProvider.PostgreSql ? "no quick_check counterpart" : "passed",
            ready.Description("integrity"));
        var articles = await _factory.WithDbAsync(db => db.Articles.CountAsync());
        Assert.Equal($"All {articles} articles are indexed.", ready.Description("search-index"));
    }

    [Fact]
    public async Task Healthz_AnswersAsReady()
    {
        var healthz = await HealthProbe.GetAsync(_factory, "/healthz");

        Assert.Equal(HttpStatusCode.OK, healthz.Code);
        Assert.Equal(ReadyChecks.Order(), healthz.Checks.Keys.Order());
    }

    [Fact]
    public async Task Live_RunsNoDependencyCheck()
    {
        var live = await HealthProbe.GetAsync(_factory, "/healthz/live");

        Assert.Equal(HttpStatusCode.OK, live.Code);
        Assert.Equal(new[] { "process" }, live.Checks.Keys);
    }

    [Fact]
    public async Task Ready_WhenAnArticleIsMissingFromTheSearchIndex_Answers503()
    {
        var articles = await _factory.WithDbAsync(db => db.Articles.CountAsync());
        await DropOneIndexEntryAsync();

        var ready = await HealthProbe.GetAsync(_factory, "/healthz/ready");
        var healthz = await HealthProbe.GetAsync(_factory, "/healthz");
        var live = await HealthProbe.GetAsync(_factory, "/healthz/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("Unhealthy", ready.Status);
        Assert.Equal("Unhealthy", ready.CheckStatus("search-index"));
        Assert.Contains($"{articles - 1} of {articles} articles", ready.Description("search-index"));
        Assert.Equal("Healthy", ready.CheckStatus("database"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthz.Code);
        Assert.Equal(HttpStatusCode.OK, live.Code);
    }

    [Fact]
    public async Task Ready_WhenTheMediaFolderCannotTakeAFile_Answers503()
    {
        // Permissions would not stop root (as CI runs); a folder that has become a file stops everyone.
        var folder = _factory.Services.GetRequiredService<MediaStore>().Folder;
        var aside = folder + ".aside";
        Directory.Move(folder, aside);
        await File.WriteAllTextAsync(folder, "not a folder");
        try
        {
            var ready = await HealthProbe.GetAsync(_factory, "/healthz/ready");
            var live = await HealthProbe.GetAsync(_factory, "/healthz/live");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
            Assert.Equal("Unhealthy", ready.CheckStatus("media-folder"));
            Assert.StartsWith("The media folder is not writable (", ready.Description("media-folder"));
            Assert.DoesNotContain(folder, ready.Description("media-folder"));
            Assert.Equal("Healthy", ready.CheckStatus("data-folder"));
            Assert.Equal(HttpStatusCode.OK, live.Code);
        }
        finally
        {
            File.Delete(folder);
            Directory.Move(aside, folder);
        }
        Assert.Equal(HttpStatusCode.OK, (await HealthProbe.GetAsync(_factory, "/healthz/ready")).Code);
    }

    private Task DropOneIndexEntryAsync() => DropOneIndexEntryAsync(_factory);

    internal static Task DropOneIndexEntryAsync(NewsFactory factory) => factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
        db.Database.IsNpgsql()
            ? $"""DELETE FROM "{PostgresSearchIndex.Table}" WHERE "ArticleId" = (SELECT max("ArticleId") FROM "{PostgresSearchIndex.Table}")"""
            : $"DELETE FROM {SqliteSearchIndex.KeyTable} WHERE ArticleId = (SELECT max(ArticleId) FROM {SqliteSearchIndex.KeyTable})"));
}

/// <summary>Readiness answers are reused for the configured time (five seconds by default), by the app's clock.</summary>
public sealed class HealthCacheTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await HealthProbe.IntegrityCheckedAsync(_factory);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ready_WithinTheCacheDuration_ReusesTheLastAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await HealthProbe.AfterCacheAsync(_factory, "/healthz/ready")).Code);
        await HealthTests.DropOneIndexEntryAsync(_factory);

        var cached = await HealthProbe.GetAsync(_factory, "/healthz/ready");
        var fresh = await HealthProbe.AfterCacheAsync(_factory, "/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, cached.Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fresh.Code);
    }
}

/// <summary>The shared app with a free-space minimum no disk has: readiness must fail on it.</summary>
public sealed class NoDiskRoomApp() : SharedNewsApp(b =>
{
    HealthProbe.Uncached(b);
    b.UseSetting("PovertyNews:Health:MinimumFreeDiskMegabytes", (long.MaxValue / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture));
});

public sealed class DiskSpaceHealthTests(NoDiskRoomApp shared) : IClassFixture<NoDiskRoomApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await HealthProbe.IntegrityCheckedAsync(shared.Factory);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ready_WhenFreeSpaceIsBelowTheMinimum_Answers503()
    {
        var ready = await HealthProbe.GetAsync(shared.Factory, "/healthz/ready");
        var live = await HealthProbe.GetAsync(shared.Factory, "/healthz/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("Unhealthy", ready.CheckStatus("disk-space"));
        Assert.StartsWith("Disk nearly full: data folder: ", ready.Description("disk-space"));
        Assert.All(new[] { "database", "integrity", "search-index", "data-folder", "media-folder" },
            name => Assert.Equal("Healthy", ready.CheckStatus(name)));
        Assert.Equal(HttpStatusCode.OK, live.Code);
    }
}
