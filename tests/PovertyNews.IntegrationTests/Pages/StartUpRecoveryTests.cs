using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Search;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// Starts after something went wrong before them: a first start stopped during its import, and a search index that
/// lacks articles or holds deleted ones. Each test runs the real app (environment Production, the log at Information)
/// on a data folder of its own, and reads the site over HTTP.
/// </summary>
// Provider-specific: SQLite files and the FTS5 index tables, made and damaged by hand.
[Trait("Provider", "Sqlite")]
[Collection(nameof(FirstStartTests))]
public sealed class StartUpRecoveryTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "povertynews-tests", "start-up-" + Guid.NewGuid().ToString("N"));

    private static readonly int SampleArticles =
        Directory.GetFiles(Path.Combine(NewsFactory.RepositoryRoot, "content", "articles"), "*.md").Length;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task FirstStartStoppedDuringImport_LeavesNothing_NextStartImportsAllSampleContent()
    {
        // The import fails when its articles are saved, after it saved the settings, the channels and the sidebars.
        await using (var stopped = new StartFactory(_dataPath, services => services.AddSingleton<IInterceptor>(new FailWhenArticlesAreAdded())))
        {
            var failure = Assert.ThrowsAny<Exception>(() => stopped.StartServer());
            Assert.Contains(FailWhenArticlesAreAdded.Message, failure.ToString());
        }
        SqliteConnection.ClearAllPools();
        await using (var db = OpenDatabase())
        {
            Assert.Equal(0, await db.Channels.CountAsync());
            Assert.Equal(0, await db.SiteSettings.CountAsync());
            Assert.Equal(0, await db.Articles.CountAsync());
            Assert.Equal(0, await IndexedAsync(db));
        }

        await using var app = new StartFactory(_dataPath);
        app.StartServer();

        var log = await ReadLogUntilAsync("PovertyNews is ready at");
        Assert.Contains($"{SampleArticles} sample articles were imported", log);
        await AssertFullSampleContentAsync(app);
    }

    [Fact]
    public async Task ChannelsButNoArticleEver_AsAnInterruptedImportLeftThem_NextStartImportsAllSampleContent()
    {
        // What a first start killed during its import left before the import was one transaction: channels from
        // channels.yml, committed on their own, and not one article.
        await using (var db = OpenDatabase())
        {
            await db.Database.MigrateAsync();
            var tuopin = new Channel { Slug = "tuopin", Name = "脱贫攻坚", SortOrder = 2 };
            db.Channels.AddRange(new Channel { Slug = "xiezuo", Name = "东西部协作", SortOrder = 1 }, tuopin,
                new Channel { Slug = "chanye", Name = "产业扶贫", SortOrder = 3, Parent = tuopin });
            await db.SaveChangesAsync();
        }
        SqliteConnection.ClearAllPools();

        await using var app = new StartFactory(_dataPath);
        app.StartServer();

        var log = await ReadLogUntilAsync("PovertyNews is ready at");
        Assert.Contains("a first start was stopped during its import; importing the sample content again", log);
        Assert.Contains($"{SampleArticles} sample articles were imported", log);
        await AssertFullSampleContentAsync(app);
    }

    [Fact]
    public async Task IndexMissingArticlesAndHoldingADeletedOne_IsRepairedInTheBackgroundAfterStart()
    {
        await using (var first = new StartFactory(_dataPath))
        {
            first.StartServer();
            await ReadLogUntilAsync("PovertyNews is ready at");
        }
        SqliteConnection.ClearAllPools();
        List<(int Id, string Title)> unindexed;
        await using (var db = OpenDatabase())
        {
            // Three published articles lose their rows, as after a killed generate; a row of an article that does not
            // exist comes in, as from an index restored from another copy.
            unindexed = (await db.Articles.Where(a => a.Status == ArticleStatus.Published && a.Kind == ArticleKind.Article)
                    .OrderBy(a => a.Id).Take(3).Select(a => new { a.Id, a.Title }).ToListAsync())
                .Select(a => (a.Id, a.Title)).ToList();
            var ids = string.Join(",", unindexed.Select(a => a.Id));
            var tamper = $"""
                DELETE FROM ArticleSearch WHERE rowid IN (SELECT SearchKey FROM ArticleSearchKeys WHERE ArticleId IN ({ids}));
                DELETE FROM ArticleSearchKeys WHERE ArticleId IN ({ids});
                INSERT INTO ArticleSearch(rowid, title, lead, body, source, author, tags, facets) VALUES (99999, '幽灵', '', '', '', '', '', 'v1');
                INSERT INTO ArticleSearchKeys(ArticleId, SearchKey) VALUES (99999, 99999);
                """;
            await db.Database.ExecuteSqlRawAsync(tamper);
        }
        SqliteConnection.ClearAllPools();

        await using var app = new StartFactory(_dataPath);
        app.StartServer();
        var status = app.Services.GetRequiredService<ISearchIndexStatus>();
        var state = await WaitForCheckAsync(status);

        Assert.Equal(SearchIndexCheckPhase.Repaired, state.Phase);
        Assert.Equal(new SearchIndexCount(SampleArticles - 2, SampleArticles), state.Before);
        Assert.Equal(new SearchIndexRepair(Added: 3, Removed: 1), state.Repair);
        Assert.Equal(new SearchIndexCount(SampleArticles, SampleArticles), state.After);
        Assert.True(state.Healthy);
        var log = await ReadLogUntilAsync("Search index repaired");
        Assert.Contains($"[WRN] The search index holds {SampleArticles - 2} articles but the articles table has {SampleArticles}; repairing", log);
        Assert.Contains("3 missing articles indexed, 1 rows of deleted articles removed", log);
        var reader = app.CreateClient();
        foreach (var (id, title) in unindexed)
        {
            var page = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString(title));
            Assert.Contains(page.QuerySelectorAll(".search-result__title a"),
                a => a.GetAttribute("href")!.StartsWith($"/articles/{id}/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ConsistentIndex_CheckedAfterStartWithoutWritingOrWarning()
    {
        await using var app = new StartFactory(_dataPath);
        app.StartServer();

        var state = await WaitForCheckAsync(app.Services.GetRequiredService<ISearchIndexStatus>());

        Assert.Equal(SearchIndexCheckPhase.Consistent, state.Phase);
        Assert.Equal(new SearchIndexCount(SampleArticles, SampleArticles), state.Before);
        Assert.Equal(new SearchIndexRepair(0, 0), state.Repair);
        Assert.DoesNotContain("[WRN]", await ReadLogUntilAsync("PovertyNews is ready at"));
    }

    [Fact]
    public async Task ReindexStoppedMidway_TheSiteKeepsFindingEveryArticle_ThenAFullReindexSwapsIn()
    {
        await using var app = new StartFactory(_dataPath, configure: b => b.UseSetting("PovertyNews:Search:RebuildBatchSize", "3"));
        app.StartServer();
        await WaitForCheckAsync(app.Services.GetRequiredService<ISearchIndexStatus>());
        var reader = app.CreateClient();
        // The site's pooled connections have the index open before it is rebuilt, renamed and dropped under them.
        Assert.Empty(await TitlesNotFoundAsync(app, reader));

        using var cancel = new CancellationTokenSource();
        var batches = 0;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var stopAfterTwoBatches = new SyncProgress(p =>
            {
                if (p.Done > 0 && ++batches == 2)
                {
                    cancel.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, stopAfterTwoBatches, cancel.Token));
        }
        Assert.Equal(2, batches);
        Assert.Empty(await TitlesNotFoundAsync(app, reader));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            Assert.Equal(SampleArticles, await scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, null, CancellationToken.None));
        }
        Assert.Empty(await TitlesNotFoundAsync(app, reader));
    }

    /// <summary>Titles of published articles that the reader search page does not find by their title.</summary>
    private async Task<List<string>> TitlesNotFoundAsync(StartFactory app, HttpClient reader)
    {
        // Search pages are kept in the output cache; each round asks the index again.
        await app.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(CacheTags.Search, CancellationToken.None);
        List<(int Id, string Title)> published;
        await using (var db = OpenDatabase())
        {
            published = (await db.Articles.Where(a => a.Status == ArticleStatus.Published).Select(a => new { a.Id, a.Title }).ToListAsync())
                .Select(a => (a.Id, a.Title)).ToList();
        }
        Assert.NotEmpty(published);
        var missed = new List<string>();
        foreach (var (id, title) in published)
        {
            var page = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString(title));
            if (!page.QuerySelectorAll(".search-result__title a").Any(a => a.GetAttribute("href")!.StartsWith($"/articles/{id}/", StringComparison.Ordinal)))
            {
                missed.Add(title);
            }
        }
        return missed;
    }

    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }

    private async Task AssertFullSampleContentAsync(StartFactory app)
    {
        await using (var db = OpenDatabase())
        {
            Assert.Equal(SampleArticles, await db.Articles.CountAsync());
            // Seven in channels.yml, each once: those found were kept, the rest added.
            Assert.Equal(7, await db.Channels.CountAsync());
            Assert.Equal(1, await db.SiteSettings.CountAsync());
            Assert.Equal(SampleArticles, await IndexedAsync(db));
        }
        var reader = app.CreateClient();
        using var front = await reader.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, front.StatusCode);
        var hits = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("湘西"));
        Assert.NotEmpty(hits.QuerySelectorAll(".search-result__title a"));
    }

    private static async Task<SearchIndexCheckState> WaitForCheckAsync(ISearchIndexStatus status)
    {
        // A bound for a machine shared with other test runs; it only keeps a check that never ends from hanging the run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (status.Current.Phase is SearchIndexCheckPhase.NotChecked || status.Current.Running)
        {
            await Task.Delay(50, timeout.Token);
        }
        return status.Current;
    }

    private NewsDbContext OpenDatabase()
    {
        Directory.CreateDirectory(_dataPath);
        return new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_dataPath, "news.db")}").Options);
    }

    private static Task<int> IndexedAsync(NewsDbContext db) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM ArticleSearchKeys").SingleAsync();

    /// <summary>The log files' text once it holds <paramref name="line"/>.</summary>
    private async Task<string> ReadLogUntilAsync(string line)
    {
        var logs = Path.Combine(_dataPath, "logs");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var text = "";
            foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs, "*.log") : [])
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                text += await new StreamReader(stream).ReadToEndAsync(timeout.Token);
            }
            if (text.Contains(line))
            {
                return text;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Stands for whatever stops a first start in its import: the save of the articles throws.</summary>
    private sealed class FailWhenArticlesAreAdded : SaveChangesInterceptor
    {
        public const string Message = "simulated stop during the first import";

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<Article>().Any(e => e.State == EntityState.Added)
                ? throw new IOException(Message)
                : ValueTask.FromResult(result);
    }

    private sealed class StartFactory(string dataPath, Action<IServiceCollection>? services = null, Action<IWebHostBuilder>? configure = null)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("PovertyNews:DataPath", dataPath);
            builder.UseSetting("PovertyNews:ContentPath", Path.Combine(NewsFactory.RepositoryRoot, "content"));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
            configure?.Invoke(builder);
        }
    }
}
