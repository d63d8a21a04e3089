using System.Text;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Search;

public sealed class SearchQueryParserTests
{
    /// <summary>
    /// Inputs a reader could type that look like syntax of the index's query language, or like nothing at all.
    /// Shared with <see cref="MatchExpressionTests"/>.
    /// </summary>
    public static readonly string[] NastyInputs =
    [
        "", " ", "\"", "\"\"", "\"\"\"", "“", "”“", "-", "--", "- -", "-\"", "*", "**", "扶贫*", "*扶贫", ":", "扶贫:湘西",
        "title:扶贫", "{title}: 扶贫", "^", "^扶贫", "NEAR(", "NEAR(扶贫 湘西)", "NEAR(扶贫 湘西, 3)", "(", ")", "()",
        "(扶贫", "扶贫)", "((扶贫 OR 湘西) AND 旅游)", "AND", "OR", "NOT", "NOT NOT", "OR OR", "AND AND", "OR 扶贫",
        "扶贫 OR", "扶贫 NOT", "NOT 扶贫", "扶贫 OR OR 湘西", "扶贫 AND OR NOT 湘西", "- 扶贫", "-扶贫", "-OR 扶贫",
        "+扶贫", "+", "|", "&&", "'", "'扶贫'", "\\", "\\\"", "扶贫\\", "[扶贫]", "{扶贫}", "\"扶贫", "扶贫\"",
        "\"扶贫\" OR", "-\"扶贫 湘西\"", "“扶贫", "「湘西」", "＂扶贫＂", "－扶贫", "＊", "：", "（）", "，。！？",
        "\u0000\u0001\u001F", "扶贫\u0000湘西", "\t扶贫\r\n湘西\u007F", "\u200B", "\uFEFF扶贫", "\uD840", "\uDC00扶贫",
        "😀", "𠀀", "・", "･", "゛", "扶贫・湘西", "'; DROP TABLE Articles; --", "<script>alert(1)</script>",
        "xiangxi*", "NEAR", "near(a b)", "a NEAR b", "\"a\" + \"b\"", "col:\"x\" OR", "^\"扶贫\"", "\"\" *",
    ];

    public static TheoryData<string> Nasty() => [.. NastyInputs];

    // ---------------------------------------------------------------- Words, phrases, exclusions, OR

    [Theory]
    [InlineData("扶贫", "扶贫")]
    [InlineData("扶贫 湘西", "扶贫; 湘西")]
    [InlineData("  扶贫\u3000\u3000湘西  ", "扶贫; 湘西")]
    [InlineData("扶贫,湘西", "扶贫; 湘西")]
    [InlineData("济南Xiangxi", "济南; xiangxi")]
    [InlineData("ＸＩＡＮＧＸＩ", "xiangxi")]
    [InlineData("\"十八洞村 精准扶贫\"", "十八洞村 精准扶贫")]
    [InlineData("\"quoted phrase\" 湘西", "quoted phrase; 湘西")]
    [InlineData("扶贫\"湘西\"", "扶贫; 湘西")]
    [InlineData("“扶贫 协作”", "扶贫 协作")]
    [InlineData("「扶贫 协作」", "扶贫 协作")]
    [InlineData("＂扶贫 协作＂", "扶贫 协作")]
    [InlineData("扶贫 -湘西", "扶贫; -湘西")]
    [InlineData("扶贫 －湘西", "扶贫; -湘西")]
    [InlineData("扶贫 -\"湘西 旅游\"", "扶贫; -湘西 旅游")]
    [InlineData("扶贫 -湘西,旅游", "扶贫; -湘西 旅游")]
    [InlineData("扶贫 NOT 湘西", "扶贫; -湘西")]
    [InlineData("扶贫 OR 旅游", "扶贫|旅游")]
    [InlineData("扶贫 | 旅游", "扶贫|旅游")]
    [InlineData("扶贫 OR 旅游 OR 湘西", "扶贫|旅游|湘西")]
    [InlineData("济南 扶贫 OR 旅游 湘西", "济南; 扶贫|旅游; 湘西")]
    [InlineData("扶贫 or 旅游", "扶贫; or; 旅游")]
    [InlineData("扶贫 Or 旅游", "扶贫; or; 旅游")]
    [InlineData("扶贫 ＯＲ 旅游", "扶贫; or; 旅游")]
    [InlineData("扶贫 \"OR\" 旅游", "扶贫; or; 旅游")]
    [InlineData("扶贫 not 湘西", "扶贫; not; 湘西")]
    [InlineData("扶贫 AND 湘西", "扶贫; 湘西")]
    [InlineData("扶贫 && 湘西 + 旅游", "扶贫; 湘西; 旅游")]
    [InlineData("OR 扶贫", "扶贫")]
    [InlineData("扶贫 OR", "扶贫")]
    [InlineData("扶贫 OR -湘西", "扶贫; -湘西")]
    [InlineData("-湘西 OR 扶贫", "-湘西; 扶贫")]
    [InlineData("扶贫 OR OR 旅游", "扶贫|旅游")]
    [InlineData("NOT NOT 湘西", "-湘西")]
    [InlineData("扶贫 NOT", "扶贫")]
    [InlineData("- 扶贫", "扶贫")]
    [InlineData("--扶贫", "扶贫")]
    [InlineData("扶贫 -", "扶贫")]
    [InlineData("扶贫-湘西", "扶贫; 湘西")]
    public void Parse_Input_GivesClauses(string input, string expected) =>
        Assert.Equal(expected, Describe(SearchQueryParser.Parse(input)));

    [Fact]
    public void Parse_QuotedPhrase_IsOneTermOfConsecutiveTokens()
    {
        var query = SearchQueryParser.Parse("\"济南 湘西 扶贫协作\"");

        var clause = Assert.Single(query.Clauses);
        var term = Assert.Single(clause.Alternatives);
        Assert.False(clause.Exclude);
        Assert.Equal(["济南", "南", "湘西", "西", "扶贫", "贫协", "协作"], term.Tokens);
        Assert.False(term.LastIsPrefix);
        Assert.Empty(query.Notices);
    }

    [Fact]
    public void Parse_SingleCharacter_IsAPrefixTerm()
    {
        var term = Assert.Single(Assert.Single(SearchQueryParser.Parse("贫").Clauses).Alternatives);

        Assert.Equal(["贫"], term.Tokens);
        Assert.True(term.LastIsPrefix);
    }

    [Theory]
    [InlineData("扶贫 \"湘西 旅游", "扶贫; 湘西 旅游")]
    [InlineData("\"湘西 旅游", "湘西 旅游")]
    [InlineData("扶贫 “湘西 旅游", "扶贫; 湘西 旅游")]
    [InlineData("扶贫 -\"湘西 旅游", "扶贫; -湘西 旅游")]
    [InlineData("\"扶贫\" \"湘西", "扶贫; 湘西")]
    public void Parse_UnbalancedQuote_TakesTheRestAsOnePhraseWithANotice(string input, string expected)
    {
        var query = SearchQueryParser.Parse(input);

        Assert.Equal(expected, Describe(query));
        Assert.Contains(query.Notices, n => n.Contains("引号"));
    }

    [Theory]
    [InlineData("\"扶贫\"")]
    [InlineData("扶贫 “湘西”")]
    [InlineData("扶贫 湘西")]
    public void Parse_BalancedQuotes_GiveNoNotice(string input) =>
        Assert.Empty(SearchQueryParser.Parse(input).Notices);

    [Theory]
    [InlineData("-湘西")]
    [InlineData("-湘西 -旅游")]
    [InlineData("NOT 湘西")]
    [InlineData("-\"湘西 旅游\"")]
    [InlineData("OR -湘西")]
    public void Parse_OnlyExcludedWords_IsEmpty(string input)
    {
        var query = SearchQueryParser.Parse(input);

        Assert.True(query.IsEmpty);
        Assert.NotEmpty(query.Clauses);
        Assert.All(query.Clauses, c => Assert.True(c.Exclude));
        Assert.Empty(query.PositiveTerms);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("，。！？")]
    [InlineData("AND OR NOT")]
    [InlineData("* : ^ ( )")]
    [InlineData("\"\"")]
    [InlineData("😀")]
    public void Parse_NothingSearchable_IsEmptyWithoutClauses(string? input)
    {
        var query = SearchQueryParser.Parse(input);

        Assert.True(query.IsEmpty);
        Assert.Empty(query.Clauses);
    }

    [Fact]
    public void Parse_PositiveTerms_LeaveOutExclusionsAndKeepAlternatives()
    {
        var query = SearchQueryParser.Parse("济南 扶贫 OR 旅游 -湘西");

        Assert.Equal(["济南", "扶贫", "旅游"], query.PositiveTerms.Select(t => t.Text));
        Assert.False(query.IsEmpty);
    }

    [Theory]
    [InlineData("ＸＩＡＮＧＸＩ　扶贫", "xiangxi 扶贫")]
    [InlineData("  扶贫 ", "扶贫")]
    [InlineData("扶\u0000贫", "扶 贫")]
    public void Parse_Text_IsTheFoldedCleanedInput(string input, string expected) =>
        Assert.Equal(expected, SearchQueryParser.Parse(input).Text);

    [Theory]
    [InlineData("扶贫\u0000湘西", "扶贫; 湘西")]
    [InlineData("\t扶贫\r\n湘西\u007F", "扶贫; 湘西")]
    [InlineData("\u0085扶贫\u001B", "扶贫")]
    [InlineData("\"扶贫\n湘西\"", "扶贫 湘西")]
    public void Parse_ControlCharacters_SeparateWords(string input, string expected) =>
        Assert.Equal(expected, Describe(SearchQueryParser.Parse(input)));

    [Theory]
    [InlineData(11, 10)]
    [InlineData(10, 10)]
    [InlineData(30, 10)]
    public void Parse_ManyWords_KeepsTheFirstTen(int words, int clauses)
    {
        // Letters only: a digit would start a run of its own and make two clauses of one word.
        static string Word(int i) => "w" + (char)('a' + i / 26) + (char)('a' + i % 26);

        var input = string.Join(" ", Enumerable.Range(1, words).Select(Word));

        var query = SearchQueryParser.Parse(input);

        Assert.Equal(clauses, query.Clauses.Count);
        Assert.Equal(SearchQueryParser.MaxClauses, clauses);
        Assert.Equal(Word(1), query.Clauses[0].Alternatives[0].Text);
        Assert.Equal(Word(10), query.Clauses[^1].Alternatives[0].Text);
        if (words > SearchQueryParser.MaxClauses)
        {
            Assert.Contains(query.Notices, n => n.Contains("10"));
        }
        else
        {
            Assert.Empty(query.Notices);
        }
    }

    [Fact]
    public void Parse_ManyChineseWordsSeparatedByPunctuation_KeepsTheFirstTen()
    {
        var query = SearchQueryParser.Parse("扶贫，湘西，济南，十八，洞村，产业，旅游，脱贫，攻坚，协作，学校，企业");

        Assert.Equal(SearchQueryParser.MaxClauses, query.Clauses.Count);
        Assert.Single(query.Notices);
    }

    // ---------------------------------------------------------------- Nothing breaks it

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Parse_SyntaxLikeInput_GivesOnlyLetterDigitAndChineseTokens(string input) =>
        AssertOnlySearchableTokens(SearchQueryParser.Parse(input), input);

    [Fact]
    public void Parse_RandomSyntaxSoup_NeverThrowsAndGivesOnlySearchableTokens()
    {
        var random = new Random(623);
        for (var n = 0; n < 2_000; n++)
        {
            var input = SyntaxSoup(random);
            AssertOnlySearchableTokens(SearchQueryParser.Parse(input), input);
        }
    }

    [Fact]
    public void Parse_RandomUnicodeText_NeverThrowsAndGivesOnlySearchableTokens()
    {
        var random = new Random(2020);
        for (var n = 0; n < 2_000; n++)
        {
            var input = ChineseTextTests.RandomText(random, random.Next(0, 30));
            AssertOnlySearchableTokens(SearchQueryParser.Parse(input), input);
        }
    }

    [Theory]
    [InlineData("扶贫湘西")]
    [InlineData("扶贫 ")]
    [InlineData("\"")]
    [InlineData("\"扶贫 湘西 ")]
    [InlineData("-")]
    [InlineData("OR ")]
    [InlineData("a")]
    public void Parse_TenThousandCharacters_DoesNotThrow(string unit)
    {
        var input = string.Concat(Enumerable.Repeat(unit, 10_000 / unit.Length + 1))[..10_000];

        var query = SearchQueryParser.Parse(input);

        Assert.True(query.Clauses.Count <= SearchQueryParser.MaxClauses);
        AssertOnlySearchableTokens(query, unit);
    }

    // ---------------------------------------------------------------- Helpers

    /// <summary>Clauses joined by "; ", alternatives by "|", excluded ones with a leading "-"; terms as their text.</summary>
    internal static string Describe(SearchQuery query) =>
        string.Join("; ", query.Clauses.Select(c =>
            (c.Exclude ? "-" : "") + string.Join("|", c.Alternatives.Select(t => t.Text))));

    internal static void AssertOnlySearchableTokens(SearchQuery query, string input)
    {
        Assert.True(query.Clauses.Count <= SearchQueryParser.MaxClauses);
        foreach (var clause in query.Clauses)
        {
            Assert.NotEmpty(clause.Alternatives);
            foreach (var term in clause.Alternatives)
            {
                Assert.NotEmpty(term.Tokens);
                foreach (var token in term.Tokens)
                {
                    ChineseTextTests.AssertSearchableToken(token, input);
                }
            }
        }
    }

    private static readonly string[] SoupPieces =
    [
        "\"", "*", ":", "^", "(", ")", "-", "+", " ", " ", " ", "OR", "AND", "NOT", "NEAR", "{", "}", "[", "]", "'", "\\",
        "|", "&", ",", "，", "“", "”", "－", "＊", "扶", "贫", "湘西", "𠀀", "😀", "a", "Z", "x", "7", "・", "\u0000",
        "title", "facets", "vis",
    ];

    internal static string SyntaxSoup(Random random)
    {
        var sb = new StringBuilder();
        var pieces = random.Next(0, 16);
        for (var i = 0; i < pieces; i++)
        {
            sb.Append(SoupPieces[random.Next(SoupPieces.Length)]);
        }
        return sb.ToString();
    }
}
