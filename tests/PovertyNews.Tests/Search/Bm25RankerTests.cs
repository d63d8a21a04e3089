using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public class Bm25RankerTests
{
    private static SearchTerm Term(string text) => ChineseText.Term(ChineseText.Fold(text))!;

    private static Bm25Ranker.Candidate Doc(long key, string title = "", string summary = "", string body = "",
        string? source = null, string? author = null, params string[] tags) =>
        Bm25Ranker.Candidate.From(key, title, null, summary, $"<p>{body}</p>", source, author, tags);

    private static IReadOnlyList<long> Rank(Bm25Ranker.Candidate[] docs, params (string Term, long Df)[] terms) =>
        Bm25Ranker.Rank(docs, terms.Select(t => new Bm25Ranker.WeightedTerm(Term(t.Term), t.Df)).ToList(), 1_000);

    [Fact]
    public void TitleMatch_OutranksBodyMatch()
    {
        var docs = new[] { Doc(2, title: "会议纪要", body: "湘西扶贫工作"), Doc(1, title: "湘西扶贫", body: "会议纪要") };

        Assert.Equal([1L, 2L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void MoreOccurrences_RankHigherInFieldsOfEqualLength()
    {
        var docs = new[] { Doc(1, body: "扶贫一二三四五六七八九十"), Doc(2, body: "扶贫一二三四扶贫七八九十") };

        Assert.Equal([2L, 1L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void ShorterDocument_WinsForTheSameCount()
    {
        var docs = new[] { Doc(1, body: "扶贫" + new string('文', 400)), Doc(2, body: "扶贫" + new string('文', 20)) };

        Assert.Equal([2L, 1L], Rank(docs, ("扶贫", 10)));
    }

    [Fact]
    public void RareTerm_WeighsMoreThanACommonOne()
    {
        // Each holds one of the two words once, in bodies of the same length.
        var docs = new[] { Doc(1, body: "旅游之外还有别的事"), Doc(2, body: "十八洞之外还有别事") };

        Assert.Equal([2L, 1L], Rank(docs, ("旅游", 900), ("十八洞", 3)));
    }

    [Fact]
    public void EqualScores_GoToTheNewerArticle()
    {
        var docs = new[] { Doc(5, body: "扶贫"), Doc(9, body: "扶贫"), Doc(7, body: "扶贫") };

        Assert.Equal([9L, 7L, 5L], Rank(docs, ("扶贫", 10)));
    }

    [Theory]
    [InlineData("湘西湘西湘西", "湘西", 3)]
    [InlineData("哈哈哈", "哈哈", 2)]
    [InlineData("十八洞村和十八洞", "十八洞村", 1)]
    [InlineData("xiangxi xiangxiang xiangxi", "Xiangxi", 2)]
    [InlineData("axiangxi xiangxi2020", "xiangxi", 1)]
    [InlineData("湘西xiangxi湘西", "xiangxi", 1)]
    [InlineData("济南 2020 年", "济南 2020", 1)]
    [InlineData("济南济南 2020", "济南 2020", 1)]
    [InlineData("年收入达14668元", "14668", 1)]
    [InlineData("贫困与扶贫", "贫", 2)]
    [InlineData("没有", "扶贫", 0)]
    public void Occurrences_CountsRunsAsTheIndexMatchesThem(string text, string term, int expected) =>
        Assert.Equal(expected, Bm25Ranker.Occurrences(ChineseText.Fold(text), Term(term)));

    [Fact]
    public void FullWidthText_IsCountedAfterFolding()
    {
        var doc = Doc(1, title: "ＸＩＡＮＧＸＩ 扶贫");

        Assert.Equal(1, Bm25Ranker.Occurrences(doc.Fields[0], Term("xiangxi")));
    }

    [Fact]
    public void WordInsideMarkup_IsCountedInTheBodyText()
    {
        var doc = Bm25Ranker.Candidate.From(1, "", null, "", "<p>扶<strong>贫</strong>工作</p><p>精准</p>", null, null, []);

        Assert.Equal(1, Bm25Ranker.Occurrences(doc.Fields[2], Term("扶贫")));
        Assert.Equal(0, Bm25Ranker.Occurrences(doc.Fields[2], Term("作精")));
        Assert.Equal(0, Bm25Ranker.Occurrences(doc.Fields[2], Term("strong")));
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
