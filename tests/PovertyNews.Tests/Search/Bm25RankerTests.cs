using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public class Bm25RankerTests
{
    private static SearchTerm Term(string text) => ChineseText.Term(ChineseText.Fold(text))!;

    private sealed record Doc(long Key, string Title = "", string Summary = "", string Body = "", string? Source = null,
        string? Author = null, params string[] Tags)
    {
        public Bm25Ranker.Candidate For(IReadOnlyList<SearchTerm> terms) =>
            Bm25Ranker.Candidate.From(Key, Title, null, Summary, $"<p>{Body}</p>", Source, Author, Tags, terms);
    }

    private static IReadOnlyList<long> Rank(Doc[] docs, params (string Term, long Df)[] terms)
    {
        var weighted = terms.Select(t => new Bm25Ranker.WeightedTerm(Term(t.Term), t.Df)).ToList();
        var searchTerms = weighted.Select(w => w.Term).ToList();
        return Bm25Ranker.Rank(docs.Select(d => d.For(searchTerms)).ToList(), weighted, 1_000);
    }

    [Fact]
    public void TitleMatch_OutranksBodyMatch()
    {
        var docs = new[] { new Doc(2, Title: "会议纪要", Body: "湘西扶贫工作"), new Doc(1, Title: "湘西扶贫", Body: "会议纪要") };

        Assert.Equal([1L, 2L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void MoreOccurrences_RankHigherInFieldsOfEqualLength()
    {
        var docs = new[] { new Doc(1, Body: "扶贫一二三四五六七八九十"), new Doc(2, Body: "扶贫一二三四扶贫七八九十") };

        Assert.Equal([2L, 1L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void ShorterDocument_WinsForTheSameCount()
    {
        var docs = new[] { new Doc(1, Body: "扶贫" + new string('文', 400)), new Doc(2, Body: "扶贫" + new string('文', 20)) };

        Assert.Equal([2L, 1L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void RareTerm_WeighsMoreThanACommonOne()
    {
        // Each holds one of the two words once, in bodies of the same length.
        var docs = new[] { new Doc(1, Body: "旅游之外还有别的事"), new Doc(2, Body: "十八洞之外还有别事") };

        Assert.Equal([2L, 1L], Rank(docs, ("旅游", 900), ("十八洞", 3)));
    }

    [Fact]
    public void EqualScores_GoToTheNewerArticle()
    {
        var docs = new[] { new Doc(5, Body: "扶贫"), new Doc(9, Body: "扶贫"), new Doc(7, Body: "扶贫") };

        Assert.Equal([9L, 7L, 5L], Rank(docs, ("扶贫", 10)));
    }

    [Theory]
    [InlineData("湘西湘西湘西", "湘西", 3)]
    [InlineData("哈哈哈", "哈哈", 2)]
    [InlineData("十八洞村和十八洞", "十八洞村", 1)]
    [InlineData("十八洞村和十八洞", "十八洞", 2)]
    [InlineData("xiangxi xiangxiang xiangxi", "Xiangxi", 2)]
    [InlineData("axiangxi xiangxi2020", "xiangxi", 1)]
    [InlineData("湘西xiangxi湘西", "xiangxi", 1)]
    [InlineData("济南 2020 年", "济南 2020", 1)]
    [InlineData("济南济南 2020", "济南 2020", 1)]
    [InlineData("济南 湘西 2020", "济南 2020", 0)] // a phrase: its runs must stand together
    [InlineData("年收入达14668元", "14668", 1)]
    [InlineData("贫困与扶贫", "贫", 2)]
    [InlineData("ＸＩＡＮＧＸＩ 扶贫", "xiangxi", 1)] // full width, folded
    [InlineData("Café au lait, cafe", "cafe", 2)] // accents dropped as FTS5's tokenizer drops them
    [InlineData("没有", "扶贫", 0)]
    public void Occurrences_CountsPlacesAsTheIndexMatchesThem(string text, string term, int expected) =>
        Assert.Equal(expected, Bm25Ranker.Occurrences(text, Term(term)));

    [Fact]
    public void WordInsideMarkup_IsCountedInTheBodyText()
    {
        var terms = new[] { Term("扶贫"), Term("作精"), Term("strong") };
        var doc = Bm25Ranker.Candidate.From(1, "", null, "", "<p>扶<strong>贫</strong>工作</p><p>精准</p>", null, null, [], terms);

        Assert.Equal([1, 0, 0], Enumerable.Range(0, terms.Length).Select(t => doc.Frequency(t, field: 2)));
    }

    [Fact]
    public void Lengths_AreTheFieldsIndexTokens()
    {
        // Title: 湘西 西 扶贫 贫 (punctuation is no token); lead: subtitle and summary; tags one after another.
        var doc = Bm25Ranker.Candidate.From(1, "湘西，扶贫", "副题", "摘要", "<p>一二三</p>", "新华社", "Li Ming", ["乡村", "振兴"], []);

        Assert.Equal([4, 4, 3, 3, 2, 4], doc.Lengths);
        Assert.Equal(20, doc.Length);
    }

    [Fact]
    public void Idf_IsPositiveAndFallsWithFrequency()
    {
        var values = new[] { 1L, 10, 100, 1_000, 10_000 }.Select(df => Bm25Ranker.Idf(10_000, df)).ToList();

        Assert.All(values, v => Assert.True(v > 0));
        Assert.Equal(values.OrderDescending(), values);
    }

    [Fact]
    public void NoCandidates_RankToNothing() => Assert.Empty(Rank([], ("扶贫", 1)));
}
