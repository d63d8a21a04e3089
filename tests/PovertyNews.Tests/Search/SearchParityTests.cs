using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Testing;
using PovertyNews.Tests.Generate;
using PovertyNews.Tests.Import;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Postgres;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Tests.Search;

/// <summary>
/// The same articles — the sample content through the importer, then a generated corpus — in a SQLite database and
/// a PostgreSQL one, each indexed by its own index; then the same requests to both. Articles are compared by slug,
/// which the two databases share whatever ids they hand out.
/// </summary>
public sealed class SearchParityCorpus : IAsyncLifetime
{
    public const int Generated = 3_000;
    public const string Owner = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pn-parity-" + Guid.NewGuid().ToString("N"));
    private readonly string _pgName = "parity_" + Guid.NewGuid().ToString("N")[..12];
    private string _sqlite = "";
    private string _postgres = "";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    // A small window and limits, so the generated corpus reaches them and the capped paths are compared too.
    public SearchOptions Options { get; } = new() { RankingWindow = 200, CountLimit = 1_000, DocumentFrequencyLimit = 800 };

    public SqliteSearchIndex SqliteIndex { get; }
    public PostgresSearchIndex PostgresIndex { get; }
    public Dictionary<int, string> SqliteSlugs { get; private set; } = [];
    public Dictionary<int, string> PostgresSlugs { get; private set; } = [];
    public List<(int Id, int? ParentId, string Slug)> Channels { get; private set; } = [];

    public SearchParityCorpus()
    {
        SqliteIndex = new(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SqliteSearchIndex>.Instance);
        PostgresIndex = new(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresSearchIndex>.Instance);
    }

    public NewsDbContext Sqlite() => new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite(_sqlite)
        .AddInterceptors(new SearchIndexInterceptor(SqliteIndex)).Options);

    public NewsDbContext Postgres()
    {
        var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(options, _postgres);
        options.AddInterceptors(new SearchIndexInterceptor(PostgresIndex));
        return new PostgresNewsDbContext(options.Options);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "news.db"), Pooling = false }.ToString();
        _postgres = await PostgresCluster.Instance.CreateDatabaseAsync(_pgName);
        await using (var db = Sqlite())
        {
            await db.Database.MigrateAsync();
            await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        }
        await using (var db = Postgres())
        {
            await db.Database.MigrateAsync();
        }
        await FillAsync(Sqlite, SqliteIndex, generate: true);
        await FillAsync(Postgres, PostgresIndex, generate: false);
        await CopyGeneratedAsync();
        await using (var db = Sqlite())
        {
            await MarkAsync(db);
            await SqliteIndex.RebuildAsync(db, progress: null, CancellationToken.None);
        }
        await using (var db = Postgres())
        {
            await MarkAsync(db);
            await PostgresIndex.RebuildAsync(db, progress: null, CancellationToken.None);
        }
        SqliteSlugs = await SlugsAsync(Sqlite);
        PostgresSlugs = await SlugsAsync(Postgres);
        await using (var db = Sqlite())
        {
            Channels = (await db.Channels.OrderBy(c => c.Id).Select(c => new { c.Id, c.ParentId, c.Slug }).ToListAsync())
                .Select(c => (c.Id, c.ParentId, c.Slug)).ToList();
        }
    }

    /// <summary>The sample content through the importer; on SQLite also the generated corpus.</summary>
    private async Task FillAsync(Func<NewsDbContext> open, ISearchIndex index, bool generate)
    {
        await using var db = open();
        var importer = new ContentImporter(db, new MarkdownRenderer(), ReaderTextGates.For(db, Clock), Clock, NullLogger<ContentImporter>.Instance);
        if (generate)
        {
            await new CorpusGenerator(db, importer, Clock, searchIndex: null)
                .RunAsync(new GenerateOptions(Generated, Seed: 7, Batch: 1_000, TestContent.Folder), TextWriter.Null, TextWriter.Null, redraw: false);
        }
        else
        {
            await importer.ImportAsync(TestContent.Folder);
        }
    }

    /// <summary>
    /// The generated articles, copied row for row with their ids and tags: the generate command's bulk insert does not
    /// run on PostgreSQL yet, and a copy makes the two corpora the same by construction.
    /// </summary>
    private async Task CopyGeneratedAsync()
    {
        await using var from = Sqlite();
        await using var to = Postgres();
        Assert.Equal(await from.Tags.OrderBy(t => t.Id).Select(t => t.Name).ToListAsync(), await to.Tags.OrderBy(t => t.Id).Select(t => t.Name).ToListAsync());
        Assert.Equal(await from.Channels.OrderBy(c => c.Id).Select(c => c.Slug).ToListAsync(), await to.Channels.OrderBy(c => c.Id).Select(c => c.Slug).ToListAsync());
        var articles = await from.Articles.AsNoTracking().Where(a => a.Slug.StartsWith("gen-")).OrderBy(a => a.Id).ToListAsync();
        var tags = await from.Database.SqlQueryRaw<ArticleTag>(
            """SELECT "ArticlesId", "TagsId" FROM "ArticleTags" WHERE "ArticlesId" IN (SELECT "Id" FROM "Articles" WHERE "Slug" LIKE 'gen-%')""").ToListAsync();
        to.Articles.AddRange(articles);
        await to.SaveChangesAsync();
        foreach (var chunk in tags.Chunk(1_000))
        {
            await to.Database.ExecuteSqlRawAsync(
                """INSERT INTO "ArticleTags" ("ArticlesId", "TagsId") SELECT * FROM unnest({0}, {1})""",
                chunk.Select(t => t.ArticlesId).ToArray(), chunk.Select(t => t.TagsId).ToArray());
        }
        await to.Database.ExecuteSqlRawAsync("""SELECT setval(pg_get_serial_sequence('"Articles"', 'Id'), (SELECT max("Id") FROM "Articles"))""");
    }

    private sealed record ArticleTag(int ArticlesId, int TagsId);

    /// <summary>What generated articles lack: owners (for the staff scope limited to one's own), sources and Latin words.</summary>
    private static async Task MarkAsync(NewsDbContext db)
    {
        await db.Articles.Where(a => a.Id % 7 == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.OwnerId, Owner));
        await db.Articles.Where(a => a.Id % 5 == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Source, "新华社"));
        await db.Articles.Where(a => a.Id % 11 == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Subtitle, "Café de Xiangxi：2020年 tea 茶叶"));
        await db.Articles.Where(a => a.Id % 13 == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Subtitle, "The cafe in Fenghuang 凤凰"));
    }

    private static async Task<Dictionary<int, string>> SlugsAsync(Func<NewsDbContext> open)
    {
        await using var db = open();
        return await db.Articles.ToDictionaryAsync(a => a.Id, a => a.Slug);
    }

    public async Task DisposeAsync()
    {
        PostgresCluster.Instance.DropDatabase(_pgName);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[Trait("Provider", "PostgreSql")]
public sealed class SearchParityTests(SearchParityCorpus corpus) : IClassFixture<SearchParityCorpus>
{
    public static TheoryData<string> Queries => new(QueryTexts);

    private static readonly string[] QueryTexts =
    [
        "贫", "湘", "年", "2", // one character: a prefix of its bigrams
        "扶贫", "湘西", "产业", "20", // two characters: one bigram
        "济南市", "十八洞", "年收入", "熊猫苑", "2020", // three: two bigrams in a row
        "精准扶贫", "脱贫攻坚", "联席会议", "非物质文化", // four and more
        "\"东西部扶贫协作\"", "\"湘西 凤凰\"", "\"2020年\"", // phrases
        "扶贫 湘西", "扶贫 -湘西", "湘西 -\"凤凰\"", "产业 -扶贫 -教育", // several words, exclusions
        "湘西 OR 贵州", "旅游 OR 茶叶 -扶贫", "凤 OR 茶 产业", // OR
        "cafe", "café", "tea", "xiangxi", "café 茶叶", "de", // Latin words, accents folded as FTS5 folds them
        "扶贫的", "不存在的词语组合", "zzzz", // nothing or little
    ];

    private DateTime Now => corpus.Clock.GetUtcNow().UtcDateTime;

    [Theory]
    [MemberData(nameof(Queries))]
    public Task Public_SameHits(string query) => AssertSameAsync(Request(query));

    [Theory]
    [MemberData(nameof(Queries))]
    public Task PublicNewestFirst_SameHits(string query) => AssertSameAsync(Request(query) with { Sort = SearchSort.Newest });

    [Theory]
    [MemberData(nameof(Queries))]
    public Task Staff_SameHits(string query) => AssertSameAsync(Request(query) with { Scope = SearchScope.Staff });

    [Theory]
    [InlineData("扶贫")]
    [InlineData("湘西 OR 贵州")]
    [InlineData("合作社 -产业")]
    [InlineData("年")]
    public async Task Filters_SameHits(string query)
    {
        var parent = corpus.Channels.First(c => corpus.Channels.Any(child => child.ParentId == c.Id)).Id;
        var leaf = corpus.Channels.Last().Id;
        SearchRequest[] requests =
        [
            Request(query) with { ChannelId = parent },
            Request(query) with { ChannelId = leaf, Sort = SearchSort.Newest },
            Request(query) with { From = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), Until = new DateTime(2022, 6, 1, 0, 0, 0, DateTimeKind.Utc) },
            Request(query) with { From = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), Sort = SearchSort.Newest },
            Request(query) with { Kind = ArticleKind.Video },
            Request(query) with { Source = "新华社" },
            Request(query) with { Source = "新华" },
            Request(query) with { Author = "本网综合" },
            Request(query) with { Scope = SearchScope.Staff, Statuses = [ArticleStatus.Draft, ArticleStatus.InReview] },
            Request(query) with { Scope = SearchScope.Staff, OnlyVisibleOrOwnedBy = SearchParityCorpus.Owner },
            Request(query) with { Scope = SearchScope.Staff, OnlyVisibleOrOwnedBy = SearchParityCorpus.Owner, Sort = SearchSort.Newest },
            Request(query) with { Skip = 20 },
            Request(query) with { Skip = 40, Sort = SearchSort.Newest },
        ];
        foreach (var request in requests)
        {
            await AssertSameAsync(request);
        }
    }

    [Fact]
    public async Task Corpus_ReachesTheLimitsAndBothIndexesHoldEveryArticle()
    {
        await using var sqlite = corpus.Sqlite();
        await using var postgres = corpus.Postgres();
        Assert.Equal(new SearchIndexCount(SearchParityCorpus.Generated + TestContent.ArticleCount, SearchParityCorpus.Generated + TestContent.ArticleCount),
            await corpus.SqliteIndex.CountAsync(sqlite, CancellationToken.None));
        Assert.Equal(new SearchIndexCount(SearchParityCorpus.Generated + TestContent.ArticleCount, SearchParityCorpus.Generated + TestContent.ArticleCount),
            await corpus.PostgresIndex.CountAsync(postgres, CancellationToken.None));
        // The comparisons above cover the capped paths: a common word passes the count limit and the ranking window.
        var common = await corpus.PostgresIndex.SearchAsync(postgres, Request("扶贫") with { Scope = SearchScope.Staff }, CancellationToken.None);
        Assert.True(common.TotalIsLowerBound);
        Assert.True(common.RankedNewestOnly);
        // And the queries find something, except those made to find nothing: equal empty lists would prove little.
        var empty = new List<string>();
        foreach (var query in QueryTexts)
        {
            if ((await corpus.PostgresIndex.SearchAsync(postgres, Request(query), CancellationToken.None)).Total == 0)
            {
                empty.Add(query);
            }
        }
        Assert.Equal(["不存在的词语组合", "zzzz"], empty);
    }

    private SearchRequest Request(string query) => new()
    {
        Query = SearchQueryParser.Parse(query), Now = Now, Take = 20,
    };

    private async Task AssertSameAsync(SearchRequest request)
    {
        await using var sqlite = corpus.Sqlite();
        await using var postgres = corpus.Postgres();
        var expected = await corpus.SqliteIndex.SearchAsync(sqlite, request, CancellationToken.None);
        var actual = await corpus.PostgresIndex.SearchAsync(postgres, request, CancellationToken.None);
        var description = $"{request.Query.Text} {request with { Query = SearchQuery.Empty }}";
        Assert.True(expected.Total == actual.Total, $"totals differ for {description}: SQLite {expected.Total}, PostgreSQL {actual.Total}");
        Assert.Equal(expected.TotalIsLowerBound, actual.TotalIsLowerBound);
        Assert.Equal(expected.RankedNewestOnly, actual.RankedNewestOnly);
        Assert.Equal(expected.RankingWindow, actual.RankingWindow);
        Assert.Equal(expected.ArticleIds.Select(id => corpus.SqliteSlugs[id]), actual.ArticleIds.Select(id => corpus.PostgresSlugs[id]));
    }
}
