using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PovertyNews.Tests.Generate;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Tests.Search;

/// <summary>
/// The ranking statistics SQLite's index answers (<see cref="Fts5Statistics"/>) against those counted in the text
/// (<see cref="Bm25Ranker.Candidate.From(long, string[], IReadOnlyList{Web.Text.SearchTerm})"/>, which PostgreSQL uses):
/// for every sample article and some awkward text, and for queries of every shape, they must be the same numbers.
/// </summary>
public sealed class Fts5StatisticsTests : IDisposable
{
    private static readonly string[] Queries =
    [
        "贫", "湘", "2", "扶贫", "湘西", "20", "济南市", "十八洞", "2020", "精准扶贫", "东西部扶贫协作",
        "\"湘西 凤凰\"", "\"2020年\"", "扶贫 湘西", "湘西 扶贫 湘西", "扶贫 -湘西", "湘西 OR 贵州", "旅游 OR 茶叶 -扶贫",
        "凤 OR 茶 产业", "cafe", "café", "xiangxi", "café 茶叶", "de", "カタカナ", "한국", "𠀀𠀁", "々", "哈哈", "fi",
    ];

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly Dictionary<long, string[]> _fields = [];
    private readonly Dictionary<long, SearchSource> _sources = [];

    public Fts5StatisticsTests()
    {
        _connection.Open();
        Execute(SqliteSearchIndex.CreateSql);
        var renderer = new MarkdownRenderer();
        var id = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(TestContent.Folder, "articles"), "*.md").Order())
        {
            var text = File.ReadAllText(file);
            var title = Regex.Match(text, "^title:\\s*(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim('"', ' ');
            Add(++id, title, renderer.Render(text), ["东西部扶贫协作", "湘西"]);
        }
        // Text the sample lacks: kana, hangul, iteration marks, characters beyond the BMP, accents composed and not,
        // a ligature, an emoji beside Chinese, letters beside digits, repeats that overlap.
        Add(++id, "カタカナ と 한국어", "<p>人々 〇 𠀀𠀁𠀂 哈哈哈</p><p>café cafe\u0301 CAFÉ ﬁsh ﬁ</p>", ["😀扶贫", "xiangxi2020"]);
        Add(++id, "湘西 湘西湘西", "<p>济南 2020 年，湘西凤凰，茶叶产业</p>", ["湘", "西部"], source: "湘西日报", author: "De Li");
    }

    public void Dispose() => _connection.Dispose();

    private void Add(int id, string title, string bodyHtml, string[] tags, string? source = null, string? author = null)
    {
        var at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(id);
        var article = new SearchSource(id, title, "副题" + id, "摘要：扶贫协作", bodyHtml, source ?? "新华社", author,
            tags, 1, ArticleKind.Article, ArticleStatus.Published, at, at, null);
        var document = SearchDocument.From(article, new Dictionary<int, int?> { [1] = null });
        _sources[document.Key] = article;
        Fts5Table.Insert(_connection, document);
        _fields[document.Key] = [document.Title, document.Lead, document.Body, document.Source, document.Author, document.Tags];
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void EveryQuery_IndexStatisticsEqualThoseCountedInTheText()
    {
        Fts5Statistics.EnsureRegistered(_connection);
        var compared = 0;
        var mismatches = new List<string>();
        foreach (var text in Queries)
        {
            var query = SearchQueryParser.Parse(text);
            var request = new SearchRequest { Query = query, Scope = SearchScope.Staff, Now = DateTime.UtcNow };
            var positives = query.PositiveTerms.ToList();
            var terms = positives.Distinct().ToList();
            var phraseOfTerm = terms.Select(t => positives.IndexOf(t)).ToList();
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT rowid, {Fts5Statistics.Function}({SqliteSearchIndex.Table}) FROM {SqliteSearchIndex.Table} WHERE {SqliteSearchIndex.Table} MATCH $match";
            command.Parameters.AddWithValue("$match", SqliteSearchIndex.MatchExpression(request));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = reader.GetInt64(0);
                var fromIndex = Fts5Statistics.Candidate(key, (byte[])reader.GetValue(1), phraseOfTerm);
                var a = _sources[key];
                // Token by token, and from the fields' text (the way PostgreSQL ranks).
                Bm25Ranker.Candidate[] fromText =
                [
                    Bm25Ranker.Candidate.From(key, _fields[key], terms),
                    Bm25Ranker.Candidate.From(key, a.Title, a.Subtitle, a.Summary, a.BodyHtml, a.Source, a.Author, a.Tags, terms),
                ];
                compared++;
                foreach (var counted in fromText)
                {
                    if (!fromIndex.Lengths.SequenceEqual(counted.Lengths) || !fromIndex.Frequencies.SequenceEqual(counted.Frequencies))
                    {
                        mismatches.Add($"{text} in {key}: index [{string.Join(",", fromIndex.Lengths)}] [{string.Join(",", fromIndex.Frequencies)}], " +
                            $"text [{string.Join(",", counted.Lengths)}] [{string.Join(",", counted.Frequencies)}]");
                    }
                }
            }
        }

        Assert.Empty(mismatches);
        // Not vacuous: most queries find most of the sample.
        Assert.True(compared > 200, $"only {compared} rows compared");
    }

    [Fact]
    public void TwoTerms_EachGetsItsOwnCountsPerField()
    {
        Fts5Statistics.EnsureRegistered(_connection);
        var query = SearchQueryParser.Parse("湘西 凤凰");
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT rowid, {Fts5Statistics.Function}({SqliteSearchIndex.Table}) FROM {SqliteSearchIndex.Table} " +
            $"WHERE {SqliteSearchIndex.Table} MATCH $match AND rowid = $key";
        command.Parameters.AddWithValue("$match", SqliteSearchIndex.MatchExpression(new SearchRequest { Query = query, Scope = SearchScope.Staff, Now = DateTime.UtcNow }));
        command.Parameters.AddWithValue("$key", _fields.Keys.Max());
        using var reader = command.ExecuteReader();

        Assert.True(reader.Read());
        var stats = Fts5Statistics.Candidate(reader.GetInt64(0), (byte[])reader.GetValue(1), [0, 1]);
        // Title 湘西 湘西湘西: three; body: once each; source 湘西日报: once; tags 湘 and 西部 do not join into 湘西.
        Assert.Equal([3, 0, 1, 1, 0, 0], Enumerable.Range(0, 6).Select(f => stats.Frequency(0, f)));
        Assert.Equal([0, 0, 1, 0, 0, 0], Enumerable.Range(0, 6).Select(f => stats.Frequency(1, f)));
        // Title tokens 湘西 西 湘西 西湘 湘西 西; source 湘西 西日 日报 报; author de li.
        Assert.Equal(6, stats.Lengths[0]);
        Assert.Equal(4, stats.Lengths[3]);
        Assert.Equal(2, stats.Lengths[4]);
    }

    [Fact]
    public void SameConnectionTwice_RegistersOnce_AndANewConnectionGetsItsOwn()
    {
        Fts5Statistics.EnsureRegistered(_connection);
        Fts5Statistics.EnsureRegistered(_connection);
        using var other = new SqliteConnection("Data Source=:memory:");
        other.Open();
        using (var create = other.CreateCommand())
        {
            create.CommandText = SqliteSearchIndex.CreateSql;
            create.ExecuteNonQuery();
        }
        Fts5Statistics.EnsureRegistered(other);
        using var command = other.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM (SELECT {Fts5Statistics.Function}({SqliteSearchIndex.Table}) FROM {SqliteSearchIndex.Table} WHERE {SqliteSearchIndex.Table} MATCH 'x')";

        Assert.Equal(0L, command.ExecuteScalar());
    }
}
