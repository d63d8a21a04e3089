using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PovertyNews.Testing;
using PovertyNews.Tests.Generate;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Postgres;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

/// <summary>
/// <see cref="SqliteSearchIndexTests"/>' cases on PostgreSQL: rebuild, saves during a rebuild, a killed rebuild's
/// leftovers, the rebuild lock, repair and count, against a database of its own with the sample content imported
/// through the save pipeline's index interceptor. Batches of 3 articles give the sample articles (14, 15) five batches.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresSearchIndexTests : IAsyncLifetime
{
    private readonly string _name = "pgindex_" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly PostgresSearchIndex _index = new(Options.Create(new SearchOptions { RebuildBatchSize = 3 }), NullLogger<PostgresSearchIndex>.Instance);
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(_name);
        await using var db = NewContext();
        await db.Database.MigrateAsync();
        await _index.EnsureBuiltAsync(db, CancellationToken.None);
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, _clock), _clock, NullLogger<ContentImporter>.Instance);
        await importer.ImportAsync(TestContent.Folder);
    }

    public Task DisposeAsync()
    {
        PostgresCluster.Instance.DropDatabase(_name);
        return Task.CompletedTask;
    }

    private NewsDbContext NewContext(bool indexed = true)
    {
        var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(options, _connectionString);
        if (indexed)
        {
            options.AddInterceptors(new SearchIndexInterceptor(_index));
        }
        return new PostgresNewsDbContext(options.Options);
    }

    private Task<List<string>> TitlesNotFoundAsync() => TitlesNotFoundAsync(_index);

    private async Task<List<string>> TitlesNotFoundAsync(PostgresSearchIndex index)
    {
        await using var db = NewContext();
        var articles = await db.Articles.Select(a => new { a.Id, a.Title }).ToListAsync();
        Assert.NotEmpty(articles);
        var missed = new List<string>();
        foreach (var article in articles)
        {
            if (!(await FindAsync(db, article.Title, index)).Contains(article.Id))
            {
                missed.Add(article.Title);
            }
        }
        return missed;
    }

    private async Task<IReadOnlyList<int>> FindAsync(NewsDbContext db, string query, PostgresSearchIndex? index = null) =>
        (await (index ?? _index).SearchAsync(db, new SearchRequest
        {
            Query = SearchQueryParser.Parse(query), Scope = SearchScope.Staff, Now = _clock.GetUtcNow().UtcDateTime, Take = 100,
        }, CancellationToken.None)).ArticleIds;

    private static Task<List<int>> IndexedAsync(NewsDbContext db) =>
        db.Database.SqlQueryRaw<int>("""SELECT "ArticleId" AS "Value" FROM "ArticleSearch" """).ToListAsync();

    private async Task<List<string>> TablesAsync()
    {
        await using var db = NewContext();
        return await db.Database.SqlQueryRaw<string>(
                "SELECT tablename::text AS \"Value\" FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'ArticleSearch%'")
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
        Assert.Equal(["ArticleSearch"], await TablesAsync());
        await using (var db = NewContext())
        {
            Assert.True((await _index.CountAsync(db, CancellationToken.None)).Consistent);
            Assert.Equal(TestContent.ArticleCount, await _index.RebuildAsync(db, progress: null, CancellationToken.None));
        }
        Assert.Empty(await TitlesNotFoundAsync());
        Assert.Equal(["ArticleSearch"], await TablesAsync());
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
        Assert.Equal(["ArticleSearch"], await TablesAsync());
    }

    [Fact]
    public async Task RebuildKilledMidway_ItsTablesAreDroppedAtTheNextStartUnlessARebuildHoldsTheLock()
    {
        await using (var db = NewContext())
        {
            var left = PostgresSearchIndex.CreateTableSql(PostgresSearchIndex.BuildSuffix)
                + $"""CREATE TABLE "{PostgresSearchIndex.ChangesTable}" ("ArticleId" integer NOT NULL PRIMARY KEY);"""
                + """INSERT INTO "ArticleSearch_new" SELECT * FROM "ArticleSearch" LIMIT 5;""";
            await db.Database.ExecuteSqlRawAsync(left);
            // A save while the list exists names its article there.
            var id = await AddArticleAsync("遗留重建期间的稿件", db);
            Assert.Equal([id], await db.Database.SqlQueryRaw<int>($"""SELECT "ArticleId" AS "Value" FROM "{PostgresSearchIndex.ChangesTable}" """).ToListAsync());
        }

        // Another process rebuilding holds the lock: its tables stay, and a second rebuild is refused.
        await using (var rebuilding = new NpgsqlConnection(_connectionString))
        {
            await rebuilding.OpenAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresSearchIndex.RebuildLockKey})", rebuilding))
            {
                await take.ExecuteNonQueryAsync();
            }
            await using var db = NewContext();
            await _index.EnsureBuiltAsync(db, CancellationToken.None);
            Assert.Contains("ArticleSearch_new", await TablesAsync());
            await Assert.ThrowsAsync<SearchIndexBusyException>(() => _index.RebuildAsync(db, null, CancellationToken.None));
            Assert.Contains("ArticleSearch_new", await TablesAsync());
        }

        await using (var db = NewContext())
        {
            await _index.EnsureBuiltAsync(db, CancellationToken.None);
        }
        Assert.Equal(["ArticleSearch"], await TablesAsync());
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task IndexOfAnOlderAnalyzer_RebuildStampsTheVersionOnTheTable()
    {
        await using var db = NewContext();
        Assert.Equal(ChineseText.AnalyzerVersion, await _index.AnalyzerVersionAsync(db, CancellationToken.None));
        // An index from before the version was kept.
        await db.Database.ExecuteSqlRawAsync("""COMMENT ON TABLE "ArticleSearch" IS NULL;""");
        Assert.Equal(1, await _index.AnalyzerVersionAsync(db, CancellationToken.None));

        Assert.Equal(TestContent.ArticleCount, await _index.RebuildAsync(db, progress: null, CancellationToken.None));

        Assert.Equal(ChineseText.AnalyzerVersion, await _index.AnalyzerVersionAsync(db, CancellationToken.None));
        Assert.Empty(await TitlesNotFoundAsync());
    }

    [Fact]
    public async Task IndexWithoutMonthLexemes_SearchFindsEverythingWithoutThem_RebuildAddsThem()
    {
        await using (var db = NewContext())
        {
            // A table built before documents held their month: no #t lexemes, and a stamp without "months".
            await db.Database.ExecuteSqlRawAsync(
                """UPDATE "ArticleSearch" SET "Document" = ts_delete("Document", ARRAY(SELECT lexeme FROM unnest("Document") WHERE lexeme LIKE '#t%'));""");
            var stamp = $"""COMMENT ON TABLE "ArticleSearch" IS 'analyzer {ChineseText.AnalyzerVersion}';""";
            await db.Database.ExecuteSqlRawAsync(stamp);
            Assert.Equal(0, await MonthLexemesAsync(db));
        }
        // A process started on that table (the flag is read once a minute).
        var index = new PostgresSearchIndex(Options.Create(new SearchOptions { RebuildBatchSize = 3 }), NullLogger<PostgresSearchIndex>.Instance);
        Assert.Empty(await TitlesNotFoundAsync(index));

        await using (var db = NewContext())
        {
            Assert.Equal(TestContent.ArticleCount, await index.RebuildAsync(db, progress: null, CancellationToken.None));
            Assert.Equal(TestContent.ArticleCount, await MonthLexemesAsync(db));
            Assert.Contains("months", await db.Database.SqlQueryRaw<string>(
                """SELECT obj_description('"ArticleSearch"'::regclass, 'pg_class') AS "Value" """).SingleAsync());
        }
        Assert.Empty(await TitlesNotFoundAsync(index));
    }

    [Fact]
    public async Task IndexWithoutPositions_PhrasesAreCheckedInTheDocument_RebuildFillsThem()
    {
        await using (var db = NewContext())
        {
            // A table from before the positions column was filled: the column empty, a stamp without "positions".
            await db.Database.ExecuteSqlRawAsync("""UPDATE "ArticleSearch" SET "Positions" = NULL;""");
            await db.Database.ExecuteSqlRawAsync($"""COMMENT ON TABLE "ArticleSearch" IS 'analyzer {ChineseText.AnalyzerVersion}; months';""");
        }
        var index = new PostgresSearchIndex(Options.Create(new SearchOptions { RebuildBatchSize = 3 }), NullLogger<PostgresSearchIndex>.Instance);
        // Every title is a phrase of five or more characters.
        Assert.Empty(await TitlesNotFoundAsync(index));

        await using (var db = NewContext())
        {
            Assert.Equal(TestContent.ArticleCount, await index.RebuildAsync(db, progress: null, CancellationToken.None));
            Assert.Equal(TestContent.ArticleCount, await db.Database.SqlQueryRaw<int>(
                """SELECT count(*)::int AS "Value" FROM "ArticleSearch" WHERE "Positions" IS NOT NULL AND length("Positions") > 0""").SingleAsync());
            Assert.Contains("positions", await db.Database.SqlQueryRaw<string>(
                """SELECT obj_description('"ArticleSearch"'::regclass, 'pg_class') AS "Value" """).SingleAsync());
        }
        Assert.Empty(await TitlesNotFoundAsync(index));
    }

    [Fact]
    public async Task PhraseOnAFilledTable_IsCheckedInThePositionsColumn_WordsInTheDocument()
    {
        await using var db = NewContext();
        await _index.RebuildAsync(db, progress: null, CancellationToken.None);
        var article = (await db.Articles.OrderBy(a => a.Id).Select(a => new { a.Id, a.Title }).ToListAsync())
            .First(a => a.Title.Length >= 5 && a.Title[..2].All(c => c is >= '\u4e00' and <= '\u9fff'));
        Assert.Contains(article.Id, await FindAsync(db, article.Title));

        // Positions emptied for this article alone: its title (a phrase) is no longer found, a word of it still is.
        await db.Database.ExecuteSqlRawAsync("""UPDATE "ArticleSearch" SET "Positions" = ''::tsvector WHERE "ArticleId" = {0}""", article.Id);

        Assert.DoesNotContain(article.Id, await FindAsync(db, article.Title));
        Assert.Contains(article.Id, await FindAsync(db, article.Title[..2]));
    }

    [Theory]
    [InlineData("\"东西部扶贫协作\"", true, false)]
    [InlineData("产业 -\"东西部扶贫协作\"", false, true)]
    [InlineData("\"东西部扶贫协作\" OR 对接会", true, true)]
    [InlineData("产业 -\"东西部扶贫协作\" -对接会", false, false)]
    public async Task PhraseSplitAcrossTheTwoColumns_SelectsWhatThePhraseSelects(string query, bool together, bool apart)
    {
        await using var db = NewContext();
        // Both articles hold every word and every 4-character piece of the phrase; only the first holds it whole.
        var first = await AddArticleAsync("东西部扶贫协作产业推进", db);
        var second = await AddArticleAsync("东西部扶贫产业与各部扶贫协作对接会", db);

        var found = await FindAsync(db, query);

        Assert.Equal(together, found.Contains(first));
        Assert.Equal(apart, found.Contains(second));
    }

    /// <summary>Documents holding exactly one month lexeme.</summary>
    private static Task<int> MonthLexemesAsync(NewsDbContext db) =>
        db.Database.SqlQueryRaw<int>(
            """SELECT count(*)::int AS "Value" FROM "ArticleSearch" WHERE (SELECT count(*) FROM unnest("Document") WHERE lexeme LIKE '#t%') = 1""")
            .SingleAsync();

    [Fact]
    public async Task EmptyIndexWithArticles_EnsureBuiltFillsIt()
    {
        await using var db = NewContext();
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "ArticleSearch";""");
        Assert.Equal(new SearchIndexCount(0, TestContent.ArticleCount), await _index.CountAsync(db, CancellationToken.None));

        await _index.EnsureBuiltAsync(db, CancellationToken.None);

        Assert.Equal(new SearchIndexCount(TestContent.ArticleCount, TestContent.ArticleCount), await _index.CountAsync(db, CancellationToken.None));
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

    [Fact]
    public async Task SearchDuringSwap_WaitsOnlyForTheSwapAndFindsTheNewIndex()
    {
        // A reader's transaction holding the live table: the swap waits for it, then completes; the reader kept
        // reading the old table meanwhile, never an empty or half-built one.
        await using var reader = NewContext();
        await using var transaction = await reader.Database.BeginTransactionAsync();
        Assert.NotEmpty(await FindAsync(reader, "湘西"));
        var rebuild = Task.Run(async () =>
        {
            await using var db = NewContext();
            return await _index.RebuildAsync(db, null, CancellationToken.None);
        });
        // The rebuild fills its own table beside the live one while the reader holds the live one.
        for (var i = 0; i < 200 && !(await TablesAsync()).Contains("ArticleSearch_new"); i++)
        {
            await Task.Delay(50);
        }
        Assert.NotEmpty(await FindAsync(reader, "湘西"));
        await transaction.CommitAsync();

        Assert.Equal(TestContent.ArticleCount, await rebuild);
        Assert.Empty(await TitlesNotFoundAsync());
    }

    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
