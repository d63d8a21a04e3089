using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Tests.Generate;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Sqlite;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

/// <summary>
/// Rebuild, repair and the leftovers of a stopped rebuild, against a SQLite file in write-ahead-log mode with the
/// sample content imported through the save pipeline's index interceptor, as the site has it. Batches of 3 articles
/// give the sample articles (14, 15) five batches.
/// </summary>
public sealed class SqliteSearchIndexTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-index-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly string _connectionString;
    private readonly SqliteSearchIndex _index = new(Options.Create(new SearchOptions { RebuildBatchSize = 3 }), NullLogger<SqliteSearchIndex>.Instance);

    public SqliteSearchIndexTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
        using var db = NewContext();
        db.Database.Migrate();
        SqliteDatabase.PrepareAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        // As the first start does: the empty index is marked as cut by this analyzer before anything is indexed.
        _index.EnsureBuiltAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance);
        importer.ImportAsync(TestContent.Folder).GetAwaiter().GetResult();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <param name="indexed">With the search index's save interceptor, as the site saves; without, as a raw write would.</param>
    private NewsDbContext NewContext(bool indexed = true)
    {
        var options = new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_connectionString);
        if (indexed)
        {
            options.AddInterceptors(new SearchIndexInterceptor(_index));
        }
        return new NewsDbContext(options.Options);
    }

    /// <summary>Each article, searched by its title in the staff scope (every status), is found.</summary>
    private async Task<List<string>> TitlesNotFoundAsync()
    {
        await using var db = NewContext();
        var articles = await db.Articles.Select(a => new { a.Id, a.Title }).ToListAsync();
        Assert.NotEmpty(articles);
        var missed = new List<string>();
        foreach (var article in articles)
        {
            if (!(await FindAsync(db, article.Title)).Contains(article.Id))
            {
                missed.Add(article.Title);
            }
        }
        return missed;
    }

    private async Task<IReadOnlyList<int>> FindAsync(NewsDbContext db, string query) =>
        (await _index.SearchAsync(db, new SearchRequest
        {
            Query = SearchQueryParser.Parse(query), Scope = SearchScope.Staff, Now = _clock.GetUtcNow().UtcDateTime, Take = 100,
        }, CancellationToken.None)).ArticleIds;

    private static Task<List<int>> IndexedAsync(NewsDbContext db) =>
        db.Database.SqlQueryRaw<int>("SELECT ArticleId AS \"Value\" FROM ArticleSearchKeys").ToListAsync();

    private async Task<List<string>> TablesAsync()
    {
        await using var db = NewContext();
        return await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name LIKE 'ArticleSearch%' AND name NOT LIKE '%\\_data' ESCAPE '\\' AND name NOT LIKE '%\\_idx' ESCAPE '\\' AND name NOT LIKE '%\\_config' ESCAPE '\\' AND name NOT LIKE '%\\_docsize' ESCAPE '\\'")
            .OrderBy(n => n).ToListAsync();
    }

    private async Task<int> AddArticleAsync(string title, NewsDbContext db)
    {
        var channel = await db.Channels.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        var article = new Article { Slug = "t-" + Guid.NewGuid().ToString("N")[..12], Title = title, ChannelId = channel, CreatedAt = _clock.GetUtcNow().UtcDateTime };
        article.SetBody(title, $"<p>{title}</p>");
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    }

    [Fact]
    public async Task RebuildCancelledAfterSomeBatches_OldIndexStillFindsEveryArticle_NextRebuildSucceeds()
    {
        Assert.Empty(await TitlesNotFoundAsync());
        using var cancel = new CancellationTokenSource();
        var reports = 0;
        var progress = new SyncProgress(p =>
        {
            // The first report is (0, total); after two batches of three the rebuild is six articles in.
            if (++reports == 3)
            {
                Assert.Equal(6, p.Done);
                cancel.Cancel();
            }
        });

        await using (var db = NewContext())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _index.RebuildAsync(db, progress, cancel.Token));
        }

        Assert.Equal(3, reports);
        Assert.Empty(await TitlesNotFoundAsync());
        Assert.Equal(["ArticleSearch", "ArticleSearchAnalyzer", "ArticleSearchKeys"], await TablesAsync());
        await using (var db = NewContext())
        {
            Assert.True((await _index.CountAsync(db, CancellationToken.None)).Consistent);
            Assert.Equal(TestContent.ArticleCount, await _index.RebuildAsync(db, progress: null, CancellationToken.None));
        }
        Assert.Empty(await TitlesNotFoundAsync());
        Assert.Equal(["ArticleSearch", "ArticleSearchAnalyzer", "ArticleSearchKeys"], await TablesAsync());
    }

    [Fact]
    public async Task SavesDuringRebuild_AreInTheSwappedIndex()
    {
        int deleted, edited, added = 0;
        await using (var db = NewContext())
        {
            deleted = await AddArticleAsync("即将删除的稿件甲乙", db);
            edited = await db.Articles.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }
        var wrote = false;
        // After the last batch, before the swap: the new tables already hold the old state of all three.
        var progress = new SyncProgress(p =>
        {
            if (wrote || p.Done < p.Total)
            {
                return;
            }
            wrote = true;
            using var other = NewContext();
            var article = other.Articles.Single(a => a.Id == edited);
            article.Title = "重建期间修改的标题丙丁";
            other.Articles.Remove(other.Articles.Single(a => a.Id == deleted));
            other.SaveChangesAsync().GetAwaiter().GetResult();
            added = AddArticleAsync("重建期间新增的稿件戊己", other).GetAwaiter().GetResult();
        });

        await using (var db = NewContext())
        {
            await _index.RebuildAsync(db, progress, CancellationToken.None);
        }

        Assert.True(wrote);
        await using var check = NewContext();
        Assert.Contains(edited, await FindAsync(check, "丙丁"));
        Assert.DoesNotContain(deleted, await FindAsync(check, "甲乙"));
        Assert.Contains(added, await FindAsync(check, "戊己"));
        Assert.True((await _index.CountAsync(check, CancellationToken.None)).Consistent);
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task RebuildKilledMidway_ItsTablesAreDroppedAtTheNextStartUnlessARebuildHoldsTheLock()
    {
        // What a killed rebuild leaves: its tables, part filled, and its list of saved articles.
        await using (var db = NewContext())
        {
            var left = SqliteSearchIndex.CreateTablesSql(SqliteSearchIndex.BuildSuffix)
                + $"CREATE TABLE {SqliteSearchIndex.ChangesTable} (ArticleId INTEGER NOT NULL PRIMARY KEY);"
                + $"INSERT INTO ArticleSearchKeys_new SELECT * FROM ArticleSearchKeys LIMIT 5;";
            await db.Database.ExecuteSqlRawAsync(left);
            // A save while the list exists names its article there.
            var id = await AddArticleAsync("遗留重建期间的稿件", db);
            Assert.Equal([id], await db.Database.SqlQueryRaw<int>($"SELECT ArticleId AS \"Value\" FROM {SqliteSearchIndex.ChangesTable}").ToListAsync());
        }

        // Another process rebuilding holds the lock: its tables stay, and a second rebuild is refused.
        await using (var rebuilding = new FileStream(Path.Combine(_folder, "news.db.reindexing"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await using var db = NewContext();
            await _index.EnsureBuiltAsync(db, CancellationToken.None);
            Assert.Contains("ArticleSearchKeys_new", await TablesAsync());
            await Assert.ThrowsAsync<SearchIndexBusyException>(() => _index.RebuildAsync(db, null, CancellationToken.None));
        }

        await using (var db = NewContext())
        {
            await _index.EnsureBuiltAsync(db, CancellationToken.None);
        }
        Assert.Equal(["ArticleSearch", "ArticleSearchAnalyzer", "ArticleSearchKeys"], await TablesAsync());
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task IndexMissingAndExtraRows_RepairIndexesTheMissingAndRemovesTheGone()
    {
        int gone;
        await using (var db = NewContext())
        {
            gone = await AddArticleAsync("已删除但仍在索引中的稿件", db);
        }
        int missing;
        await using (var raw = NewContext(indexed: false))
        {
            missing = await AddArticleAsync("索引里缺少的稿件", raw);
            raw.Articles.Remove(await raw.Articles.SingleAsync(a => a.Id == gone));
            await raw.SaveChangesAsync();
        }
        await using var db2 = NewContext();
        // One missing and one extra: the counts agree, which is why the repair compares ids, not counts.
        Assert.Equal(new SearchIndexCount(TestContent.ArticleCount + 1, TestContent.ArticleCount + 1), await _index.CountAsync(db2, CancellationToken.None));
        Assert.DoesNotContain(missing, await FindAsync(db2, "缺少"));
        Assert.Contains(gone, await IndexedAsync(db2));

        var repair = await _index.RepairAsync(db2, CancellationToken.None);

        Assert.Equal(new SearchIndexRepair(Added: 1, Removed: 1), repair);
        Assert.Contains(missing, await FindAsync(db2, "缺少"));
        Assert.DoesNotContain(gone, await IndexedAsync(db2));
        Assert.True((await _index.CountAsync(db2, CancellationToken.None)).Consistent);
        Assert.Equal(new SearchIndexRepair(0, 0), await _index.RepairAsync(db2, CancellationToken.None));
    }

    private (SearchIndexCheck Check, SearchIndexStatus Status, ListLogger Log) NewCheck(StartupGate? gate = null)
    {
        var services = new ServiceCollection()
            .AddDbContext<NewsDbContext>(o => o.UseSqlite(_connectionString).AddInterceptors(new SearchIndexInterceptor(_index)))
            .BuildServiceProvider();
        var (status, log) = (new SearchIndexStatus(), new ListLogger());
        return (new SearchIndexCheck(services.GetRequiredService<IServiceScopeFactory>(), _index, status,
            Options.Create(new SearchOptions()), _clock, gate ?? new StartupGate(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance)), log),
            status, log);
    }

    [Fact]
    public async Task HostStarted_CheckWaitsForTheStartsFirstRenderThenRuns()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var gate = new StartupGate(lifetime);
        gate.Hold();
        var (check, status, _) = NewCheck(gate);

        await check.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        // The service's own task has passed its yield and now waits on the gate (nothing else can complete it).
        await Task.Delay(50);

        Assert.Equal(SearchIndexCheckPhase.NotChecked, status.Current.Phase);
        gate.Open();
        await check.ExecuteTask!;
        Assert.Equal(SearchIndexCheckPhase.Consistent, status.Current.Phase);
        await check.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CountsAgreeButIdsDiffer_StartUpCheckRepairsAndSaysSo()
    {
        await using (var raw = NewContext(indexed: false))
        {
            var missing = await AddArticleAsync("索引里缺少的稿件", raw);
            var gone = await raw.Articles.OrderBy(a => a.Id).FirstAsync(a => a.Id != missing);
            raw.Articles.Remove(gone);
            await raw.SaveChangesAsync();
        }
        var (check, status, log) = NewCheck();

        var state = await check.CheckAsync(CancellationToken.None);

        Assert.Equal(SearchIndexCheckPhase.Repaired, state.Phase);
        Assert.Equal(new SearchIndexCount(TestContent.ArticleCount, TestContent.ArticleCount), state.Before);
        Assert.Equal(new SearchIndexRepair(1, 1), state.Repair);
        Assert.Equal(new SearchIndexCount(TestContent.ArticleCount, TestContent.ArticleCount), state.After);
        Assert.True(state.Healthy);
        Assert.Same(state, status.Current);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning
            && l.Text.Contains($"count agreed with the articles table ({TestContent.ArticleCount}) but 1 articles were missing from it and 1 deleted ones still in it"));
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task IndexOfAnOlderAnalyzer_StartUpRebuildsItOnceAndStampsTheVersion()
    {
        await using (var db = NewContext())
        {
            Assert.Equal(ChineseText.AnalyzerVersion, await _index.AnalyzerVersionAsync(db, CancellationToken.None));
            // An index from before the version was kept (and before traditional characters were folded).
            await db.Database.ExecuteSqlRawAsync("DROP TABLE ArticleSearchAnalyzer;");
            Assert.Equal(1, await _index.AnalyzerVersionAsync(db, CancellationToken.None));
        }
        var (check, status, log) = NewCheck();

        var state = await check.RebuildForAnalyzerAsync(CancellationToken.None);

        Assert.Equal(SearchIndexCheckPhase.Rebuilt, state?.Phase);
        Assert.Equal(new SearchIndexCount(TestContent.ArticleCount, TestContent.ArticleCount), state?.After);
        Assert.True(state?.Healthy);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("built by analyzer version 1"));
        await using (var db = NewContext())
        {
            Assert.Equal(ChineseText.AnalyzerVersion, await _index.AnalyzerVersionAsync(db, CancellationToken.None));
        }
        Assert.Null(await check.RebuildForAnalyzerAsync(CancellationToken.None));
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task IndexThatCannotBeRead_CheckFailsAndSaysWhy()
    {
        await using (var db = NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE ArticleSearchKeys;");
        }
        var (check, status, log) = NewCheck();

        var state = await check.CheckAsync(CancellationToken.None);

        Assert.Equal(SearchIndexCheckPhase.Failed, state.Phase);
        Assert.Contains("ArticleSearchKeys", state.Error);
        Assert.False(state.Healthy);
        Assert.False(status.Current.Running);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("The search index check failed"));
    }

    private sealed class ListLogger : ILogger<SearchIndexCheck>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }

    /// <summary>Reports on the rebuild's own thread, at once; <see cref="Progress{T}"/> would post them elsewhere.</summary>
    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
