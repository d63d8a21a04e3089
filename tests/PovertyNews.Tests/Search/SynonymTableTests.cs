using PovertyNews.Web.Search;
using PovertyNews.Web.Search.Postgres;
using PovertyNews.Web.Search.Sqlite;

namespace PovertyNews.Tests.Search;

public sealed class SynonymTableTests
{
    private static readonly SynonymTable Table = new(["湘西 湘西州 湘西土家族苗族自治州", "猕猴桃 奇异果"]);

    private static string Describe(SearchQuery query) => string.Join(" ", query.Clauses.Select(c =>
        (c.Exclude ? "-" : "") + "(" + string.Join("|", c.Alternatives.Select(a => a.Text)) + ")"));

    [Theory]
    [InlineData("湘西州", "(湘西州|湘西|湘西土家族苗族自治州)")]
    [InlineData("湘西", "(湘西|湘西州|湘西土家族苗族自治州)")]
    [InlineData("湘西 扶贫", "(湘西|湘西州|湘西土家族苗族自治州) (扶贫)")]
    [InlineData("\"湘西州\"", "(湘西州|湘西|湘西土家族苗族自治州)")]
    [InlineData("獼猴桃", "(猕猴桃|奇异果)")]
    [InlineData("扶贫 -奇异果", "(扶贫) -(奇异果|猕猴桃)")]
    [InlineData("猕猴桃 OR 奇异果", "(猕猴桃|奇异果)")]
    [InlineData("湘西州考察", "(湘西州考察)")]
    [InlineData("扶贫 旅游", "(扶贫) (旅游)")]
    public void Expand_TermThatIsAWordOfAGroup_BecomesEitherWordOfIt(string input, string expected) =>
        Assert.Equal(expected, Describe(Table.Expand(SearchQueryParser.Parse(input))));

    [Fact]
    public void Expand_ListsTheWordsItAdded_AsTheGroupSpellsThem()
    {
        var query = Table.Expand(SearchQueryParser.Parse("湘西州 -猕猴桃"));

        Assert.Equal(
            [new SynonymUse("湘西", false), new SynonymUse("湘西土家族苗族自治州", false), new SynonymUse("奇异果", true)],
            query.Synonyms);
        Assert.Equal(["湘西州", "湘西", "湘西土家族苗族自治州"], query.PositiveTerms.Select(t => t.Text));
    }

    [Fact]
    public void Expand_NothingToAdd_ReturnsTheQueryAsItWas()
    {
        var parsed = SearchQueryParser.Parse("扶贫 协作");

        Assert.Same(parsed, Table.Expand(parsed));
        Assert.Same(parsed, SynonymTable.Empty.Expand(parsed));
        Assert.Empty(parsed.Synonyms);
    }

    [Fact]
    public void Expand_GroupWords_ArePhrasesInBothIndexes()
    {
        var request = new SearchRequest { Query = Table.Expand(SearchQueryParser.Parse("扶贫 -湘西州")), Now = DateTime.UtcNow };

        var fts = SqliteSearchIndex.MatchExpression(request);
        var ts = TsText.Query(request);

        Assert.StartsWith("(((\"扶贫\")) NOT (\"湘西 西州\" OR \"湘西\" OR \"湘西 西土 土家 家族 族苗 苗族 族自 自治 治州\"))", fts);
        Assert.Contains(" & !(", ts);
        Assert.Equal(3, ts[ts.IndexOf(" & !(", StringComparison.Ordinal)..].Split(" | ").Length);
    }

    [Fact]
    public void Table_StoredGroupsWithOddSpacingAndShortGroups_AreReadSensibly()
    {
        var table = new SynonymTable(["  湘西   湘西州 ", "孤词", "扶贫 扶貧"]);

        Assert.Equal(2, table.Count);
        Assert.Equal("(湘西州|湘西)", Describe(table.Expand(SearchQueryParser.Parse("湘西州"))));
        Assert.Equal("(扶贫)", Describe(table.Expand(SearchQueryParser.Parse("扶贫"))));
    }

    [Theory]
    [InlineData("湘西 湘西州", null)]
    [InlineData("湘西，湘西州、湘西土家族苗族自治州", null)]
    [InlineData("Xiangxi 湘西", null)]
    [InlineData("湘西\n湘西州", null)]
    [InlineData(null, "一组同义词至少要有 2 个词，词与词之间用空格分隔。")]
    [InlineData("湘西 G20峰会", "“G20峰会”含有标点或同时含有汉字和字母，检索时会被拆成几个词；请只用汉字和数字，或一个外文单词。")]
    [InlineData("湘西 ！！", "“！！”里没有可以检索的文字或数字。")]
    [InlineData("湘西 湘\u0001西", "同义词组含有控制字符，请重新输入。")]
    [InlineData("XIANGXI xiangxi", "“xiangxi”与“XIANGXI”检索时是同一个词（不区分简繁、大小写和全角半角），只保留一个即可。")]
    public void Check_TypedGroup_IsAcceptedOrRefusedWithItsReason(string? typed, string? expected) =>
        Assert.Equal(expected, SynonymGroup.Check(typed, out _));
}
