using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Tests.Search;

/// <summary>An in-memory FTS5 table made as the migration makes it, holding two articles.</summary>
public sealed class Fts5Table : IDisposable
{
    public Fts5Table()
    {
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        Execute(SqliteSearchIndex.CreateSql);
        var parents = new Dictionary<int, int?> { [1] = null, [2] = 1, [3] = null };
        var at = new DateTime(2020, 6, 23, 1, 30, 0, DateTimeKind.Utc);
        Add(SearchDocument.From(new SearchSource(
            1, "济南市党政代表团赴湘西考察扶贫协作", "十八洞村人均年收入达14668元", "两家企业签约", "<p>Xiangxi <strong>旅</strong>游</p><p>矮寨</p>",
            "济南日报", "本网综合", ["东西部扶贫协作", "湘西"], 2, ArticleKind.Article, ArticleStatus.Published, at, at,
            "AbC-123"), parents));
        Add(SearchDocument.From(new SearchSource(
            2, "周生堂生物科技带动750人脱贫", null, "猕猴桃", "<p>精深加工</p>", "湘西日报", null, [], 3, ArticleKind.Video,
            ArticleStatus.Draft, null, at, "owner-2"), parents));
    }

    public SqliteConnection Connection { get; }

    public List<int> Search(string match)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT rowid FROM {SqliteSearchIndex.Table} WHERE {SqliteSearchIndex.Table} MATCH $match ORDER BY rowid";
        command.Parameters.AddWithValue("$match", match);
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(SearchKey.ArticleId(reader.GetInt64(0)));
        }
        return ids;
    }

    private void Add(SearchDocument d) => Insert(Connection, d);

    /// <summary>Writes <paramref name="d"/> into the index table on <paramref name="connection"/>, as the index's writer does.</summary>
    public static void Insert(SqliteConnection connection, SearchDocument d)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"INSERT INTO {SqliteSearchIndex.Table}(rowid, title, lead, body, source, author, tags, facets) VALUES ($key, $title, $lead, $body, $source, $author, $tags, $facets)";
        command.Parameters.AddWithValue("$key", d.Key);
        command.Parameters.AddWithValue("$title", d.Title);
        command.Parameters.AddWithValue("$lead", d.Lead);
        command.Parameters.AddWithValue("$body", d.Body);
        command.Parameters.AddWithValue("$source", d.Source);
        command.Parameters.AddWithValue("$author", d.Author);
        command.Parameters.AddWithValue("$tags", d.Tags);
        command.Parameters.AddWithValue("$facets", d.Facets);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}

public sealed partial class MatchExpressionTests(Fts5Table fts) : IClassFixture<Fts5Table>
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // ---------------------------------------------------------------- Shape

    [Theory]
    [InlineData("扶贫", "((\"扶贫\"))")]
    [InlineData("脱贫攻坚", "((\"脱贫 贫攻 攻坚\"))")]
    [InlineData("贫", "((\"贫\" *))")]
    [InlineData("扶贫 湘西", "((\"扶贫\") AND (\"湘西\"))")]
    [InlineData("扶贫 OR 旅游", "((\"扶贫\" OR \"旅游\"))")]
    [InlineData("扶贫 -湘西", "(((\"扶贫\")) NOT (\"湘西\"))")]
    [InlineData("扶贫 -湘西 -旅游", "((((\"扶贫\")) NOT (\"湘西\")) NOT (\"旅游\"))")]
    [InlineData("\"济南 Xiangxi\"", "((\"济南 南 xiangxi\"))")]
    public void MatchExpression_StaffQuery_QuotesEveryToken(string input, string expected) =>
        Assert.Equal(expected, SqliteSearchIndex.MatchExpression(Staff(input)));

    [Fact]
    public void MatchExpression_PublicScope_AddsTheVisibleFacet() =>
        Assert.Equal("((\"扶贫\")) AND facets : v1", SqliteSearchIndex.MatchExpression(Public("扶贫")));

    [Fact]
    public void MatchExpression_StaffScope_HasNoVisibleFacet() =>
        Assert.DoesNotContain("facets", SqliteSearchIndex.MatchExpression(Staff("扶贫")));

    [Fact]
    public void MatchExpression_StaffWithStatuses_AddsEitherStatus()
    {
        var request = Staff("扶贫") with { Statuses = [ArticleStatus.Submitted, ArticleStatus.InReview] };

        Assert.EndsWith(" AND facets : (s1 OR s2)", SqliteSearchIndex.MatchExpression(request));
    }

    [Fact]
    public void MatchExpression_StaffWithNoStatuses_AddsNoStatusFacet()
    {
        var request = Staff("扶贫") with { Statuses = [] };

        Assert.DoesNotContain("facets", SqliteSearchIndex.MatchExpression(request));
    }

    [Fact]
    public void MatchExpression_PublicWithStatuses_IgnoresThem()
    {
        var request = Public("扶贫") with { Statuses = [ArticleStatus.Draft] };

        Assert.DoesNotContain("s0", SqliteSearchIndex.MatchExpression(request));
    }

    [Fact]
    public void MatchExpression_StaffLimitedToOwner_AddsVisibleOrOwner()
    {
        var request = Staff("扶贫") with { OnlyVisibleOrOwnedBy = "3F2504E0-4F89-11D3-9A0C-0305E82C3301" };

        Assert.EndsWith(" AND facets : (v1 OR o03f2504e04f8911d39a0c0305e82c3301)", SqliteSearchIndex.MatchExpression(request));
    }

    [Theory]
    [InlineData(ArticleKind.Article, " AND facets : k0")]
    [InlineData(ArticleKind.Video, " AND facets : k1")]
    public void MatchExpression_Kind_AddsTheKindFacet(ArticleKind kind, string expected) =>
        Assert.EndsWith(expected, SqliteSearchIndex.MatchExpression(Public("扶贫") with { Kind = kind }));

    [Fact]
    public void MatchExpression_Channel_AddsTheChannelFacet() =>
        Assert.EndsWith(" AND facets : c12", SqliteSearchIndex.MatchExpression(Public("扶贫") with { ChannelId = 12 }));

    [Theory]
    [InlineData("济南日报", " AND source : \"济南 南日 日报\"")]
    [InlineData("ＸＩＮＨＵＡ", " AND source : \"xinhua\"")]
    [InlineData("贫", " AND source : \"贫\" *")]
    [InlineData("\"济南\" OR x*", " AND source : \"济南 南 or x\"")]
    public void MatchExpression_Source_AddsAQuotedPhraseOnTheSourceColumn(string source, string expected) =>
        Assert.EndsWith(expected, SqliteSearchIndex.MatchExpression(Public("扶贫") with { Source = source }));

    [Fact]
    public void MatchExpression_Author_AddsAQuotedPhraseOnTheAuthorColumn() =>
        Assert.EndsWith(" AND author : \"本网 网综 综合\"", SqliteSearchIndex.MatchExpression(Public("扶贫") with { Author = "本网综合" }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("，。")]
    [InlineData("\"*:^()")]
    public void MatchExpression_EmptySourceOrAuthor_AddsNoFilter(string? value)
    {
        var match = SqliteSearchIndex.MatchExpression(Public("扶贫") with { Source = value, Author = value });

        Assert.DoesNotContain("source :", match);
        Assert.DoesNotContain("author :", match);
    }

    [Fact]
    public void MatchExpression_EveryFilter_AppearsInOrder()
    {
        var request = Staff("扶贫") with
        {
            OnlyVisibleOrOwnedBy = "u1",
            Statuses = [ArticleStatus.Draft, ArticleStatus.Scheduled],
            Kind = ArticleKind.Video,
            ChannelId = 7,
            Source = "新华社",
            Author = "记者",
        };

        Assert.Equal(
            "((\"扶贫\")) AND facets : (v1 OR o0u1) AND facets : (s0 OR s6) AND facets : k1 AND facets : c7"
                + " AND source : \"新华 华社\" AND author : \"记者\"",
            SqliteSearchIndex.MatchExpression(request));
    }

    // ---------------------------------------------------------------- Nothing a reader types becomes syntax

    [Theory]
    [MemberData(nameof(SearchQueryParserTests.Nasty), MemberType = typeof(SearchQueryParserTests))]
    public void MatchExpression_SyntaxLikeInput_KeepsTokensInsideQuotesAndIsValidFts5(string input)
    {
        foreach (var request in Requests(input, input))
        {
            AssertOnlyQuotedTokens(SqliteSearchIndex.MatchExpression(request), input);
            fts.Search(SqliteSearchIndex.MatchExpression(request));
        }
    }

    [Fact]
    public void MatchExpression_RandomSyntaxSoup_KeepsTokensInsideQuotesAndIsValidFts5()
    {
        var random = new Random(14668);
        var searched = 0;
        for (var n = 0; n < 2_000; n++)
        {
            var input = SearchQueryParserTests.SyntaxSoup(random);
            var filter = SearchQueryParserTests.SyntaxSoup(random);
            foreach (var request in Requests(input, filter))
            {
                var match = SqliteSearchIndex.MatchExpression(request);
                AssertOnlyQuotedTokens(match, input + " / " + filter);
                fts.Search(match);
                searched++;
            }
        }
        Assert.True(searched > 1_000, $"only {searched} of the random queries had something to search");
    }

    [Fact]
    public void MatchExpression_RandomUnicodeText_IsValidFts5()
    {
        var random = new Random(4482);
        for (var n = 0; n < 1_000; n++)
        {
            var input = ChineseTextTests.RandomText(random, random.Next(1, 20));
            foreach (var request in Requests(input, input))
            {
                var match = SqliteSearchIndex.MatchExpression(request);
                AssertOnlyQuotedTokens(match, input);
                fts.Search(match);
            }
        }
    }

    // ---------------------------------------------------------------- What the expression finds

    [Theory]
    [InlineData("扶贫", "1")]
    [InlineData("扶贫协作", "1")]
    [InlineData("\"扶贫协作\"", "1")]
    [InlineData("扶", "1")]
    [InlineData("贫", "1 2")]
    [InlineData("脱贫", "2")]
    [InlineData("扶贫 OR 脱贫", "1 2")]
    [InlineData("湘西", "1 2")]
    [InlineData("湘西 -扶贫", "2")]
    [InlineData("湘西 NOT 750", "1")]
    [InlineData("750人", "2")]
    [InlineData("14668元", "1")]
    [InlineData("xiangxi", "1")]
    [InlineData("ＸＩＡＮＧＸＩ", "1")]
    [InlineData("xiang", "")]
    [InlineData("旅游", "1")]
    [InlineData("游矮", "")]
    [InlineData("扶贫湘西", "")]
    [InlineData("协作湘西", "")]
    [InlineData("\"协作 湘西\"", "1")]
    [InlineData("\"济南 湘西\"", "")]
    [InlineData("东西部", "1")]
    [InlineData("签约 猕猴桃", "")]
    [InlineData("签约 OR 猕猴桃", "1 2")]
    [InlineData("扶贫・", "1")]
    [InlineData("・湘西", "1 2")]
    public void MatchExpression_StaffQuery_FindsTheArticlesHoldingTheText(string input, string expected) =>
        Assert.Equal(expected, Found(Staff(input)));

    [Theory]
    [InlineData("Public", null, null, null, null, null, "1")]
    [InlineData("Staff", null, null, null, null, null, "1 2")]
    [InlineData("Staff", "s0", null, null, null, null, "2")]
    [InlineData("Staff", "s4", null, null, null, null, "1")]
    [InlineData("Staff", null, ArticleKind.Video, null, null, null, "2")]
    [InlineData("Staff", null, null, 1, null, null, "1")]
    [InlineData("Staff", null, null, 2, null, null, "1")]
    [InlineData("Staff", null, null, 3, null, null, "2")]
    [InlineData("Staff", null, null, null, "济南日报", null, "1")]
    [InlineData("Staff", null, null, null, "日报", null, "1 2")]
    [InlineData("Staff", null, null, null, "湘", null, "2")]
    [InlineData("Staff", null, null, null, null, "本网", "1")]
    [InlineData("Staff", "owner-2", null, null, null, null, "1 2")]
    [InlineData("Staff", "someone-else", null, null, null, null, "1")]
    public void MatchExpression_Filters_FindTheArticlesTheyDescribe(
        string scope, string? statusOrOwner, ArticleKind? kind, int? channel, string? source, string? author, string expected)
    {
        var request = (scope == "Public" ? Public("湘西") : Staff("湘西")) with
        {
            Kind = kind, ChannelId = channel, Source = source, Author = author,
        };
        if (statusOrOwner is ['s', .. var status] && int.TryParse(status, out var s))
        {
            request = request with { Statuses = [(ArticleStatus)s] };
        }
        else if (statusOrOwner is not null)
        {
            request = request with { OnlyVisibleOrOwnedBy = statusOrOwner };
        }

        Assert.Equal(expected, Found(request));
    }

    // ---------------------------------------------------------------- Helpers

    private string Found(SearchRequest request) =>
        string.Join(" ", fts.Search(SqliteSearchIndex.MatchExpression(request)));

    private static SearchRequest Public(string input) =>
        new() { Query = SearchQueryParser.Parse(input), Scope = SearchScope.Public, Now = Now };

    private static SearchRequest Staff(string input) =>
        new() { Query = SearchQueryParser.Parse(input), Scope = SearchScope.Staff, Now = Now };

    /// <summary>The requests the search page could make for this input, with and without every filter.</summary>
    private static IEnumerable<SearchRequest> Requests(string input, string filter)
    {
        var query = SearchQueryParser.Parse(input);
        if (query.IsEmpty)
        {
            // The index answers an empty query without asking FTS5.
            yield break;
        }
        yield return new SearchRequest { Query = query, Now = Now };
        yield return new SearchRequest { Query = query, Now = Now, Scope = SearchScope.Staff };
        yield return new SearchRequest
        {
            Query = query, Now = Now, Scope = SearchScope.Staff, OnlyVisibleOrOwnedBy = filter,
            Statuses = [ArticleStatus.Draft, ArticleStatus.Published], Kind = ArticleKind.Video, ChannelId = 3,
            Source = filter, Author = filter,
        };
        yield return new SearchRequest { Query = query, Now = Now, Source = filter, Author = input };
    }

    [GeneratedRegex(@"[():*]|[^\s():*]+")]
    private static partial Regex Lexeme();

    [GeneratedRegex(@"^([():*]|AND|OR|NOT|facets|source|author|""""|v1|s\d+|k\d+|c\d+|o0[0-9a-z]*)$")]
    private static partial Regex AllowedLexeme();

    /// <summary>
    /// Outside double quotes only the fixed syntax the index writes; inside them only searchable tokens, one space
    /// apart; quotes and parentheses balanced; a star only right after a phrase.
    /// </summary>
    private static void AssertOnlyQuotedTokens(string match, string input)
    {
        var context = $"{ChineseTextTests.Escape(input)} => {ChineseTextTests.Escape(match)}";
        Assert.True(match.Count(c => c == '"') % 2 == 0, $"unbalanced quotes: {context}");

        var outside = new StringBuilder();
        var phrase = new StringBuilder();
        var inside = false;
        for (var i = 0; i < match.Length; i++)
        {
            var c = match[i];
            if (c == '"')
            {
                if (inside)
                {
                    var tokens = phrase.ToString().Split(' ');
                    Assert.All(tokens, t => ChineseTextTests.AssertSearchableToken(t, context));
                    phrase.Clear();
                    outside.Append("\"\"");
                }
                inside = !inside;
                continue;
            }
            if (inside)
            {
                phrase.Append(c);
            }
            else
            {
                if (c == '*')
                {
                    Assert.True(i >= 2 && match[(i - 2)..i] == "\" ", $"star not after a phrase: {context}");
                }
                outside.Append(c);
            }
        }
        Assert.False(inside, context);

        var depth = 0;
        foreach (var lexeme in Lexeme().Matches(outside.ToString()).Select(m => m.Value))
        {
            Assert.True(AllowedLexeme().IsMatch(lexeme), $"'{ChineseTextTests.Escape(lexeme)}' outside quotes: {context}");
            depth += lexeme switch { "(" => 1, ")" => -1, _ => 0 };
            Assert.True(depth >= 0, $"unbalanced parentheses: {context}");
        }
        Assert.Equal(0, depth);
    }
}
