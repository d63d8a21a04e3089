using System.Net;
using System.Text.RegularExpressions;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public sealed partial class HighlighterTests
{
    // ---------------------------------------------------------------- Highlight

    [Theory]
    [InlineData("十八洞村", "十八洞", "<mark>十八洞</mark>村")]
    [InlineData("走进花垣县十八洞村", "十八洞村", "走进花垣县<mark>十八洞村</mark>")]
    [InlineData("扶贫协作与精准扶贫", "扶贫", "<mark>扶贫</mark>协作与精准<mark>扶贫</mark>")]
    [InlineData("扶贫协作", "贫", "扶<mark>贫</mark>协作")]
    [InlineData("十八洞村", "湘西", "十八洞村")]
    [InlineData("十八洞村", "", "十八洞村")]
    [InlineData("", "扶贫", "")]
    [InlineData("济南 湘西", "扶贫 OR 湘西", "济南 <mark>湘西</mark>")]
    [InlineData("济南 湘西", "济南 -湘西", "<mark>济南</mark> 湘西")]
    [InlineData("全村人均年收入达14668元", "14668", "全村人均年收入达<mark>14668</mark>元")]
    [InlineData("全村人均年收入达14668元", "14668元", "全村人均年收入达<mark>14668元</mark>")]
    [InlineData("全村人均年收入达146680元", "14668", "全村人均年收入达<mark>14668</mark>0元")]
    public void Highlight_Query_MarksWholeMatches(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("Xiangxi is far", "xiang", "Xiangxi is far")]
    [InlineData("Xiangxi is far", "xiangxi", "<mark>Xiangxi</mark> is far")]
    [InlineData("XIANGXI, xiangxi.", "Xiangxi", "<mark>XIANGXI</mark>, <mark>xiangxi</mark>.")]
    [InlineData("湘西Xiangxi州", "xiangxi", "湘西<mark>Xiangxi</mark>州")]
    [InlineData("Xiangxi14668", "xiangxi", "<mark>Xiangxi</mark>14668")]
    [InlineData("sub-xiangxi", "xiangxi", "sub-<mark>xiangxi</mark>")]
    [InlineData("a xiangxi xiangxixiangxi", "xiangxi", "a <mark>xiangxi</mark> xiangxixiangxi")]
    public void Highlight_LatinWord_IsMarkedOnlyAsAWholeWordInItsOriginalCase(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("湘西ＸＩＡＮＧＸＩ州", "xiangxi", "湘西<mark>ＸＩＡＮＧＸＩ</mark>州")]
    [InlineData("收入１４６６８元", "14668", "收入<mark>１４６６８</mark>元")]
    [InlineData("Ｘｉａｎｇｘｉ", "ＸＩＡＮＧＸＩ", "<mark>Ｘｉａｎｇｘｉ</mark>")]
    [InlineData("ＸＩＡＮＧＸＩＡ", "xiangxi", "ＸＩＡＮＧＸＩＡ")]
    public void Highlight_FullWidthText_IsMarkedOnItsOwnCharacters(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("濟南與湘西的東西部扶貧協作", "扶贫协作", "濟南與湘西的東西部<mark>扶貧協作</mark>")]
    [InlineData("东西部扶贫协作", "扶貧", "东西部<mark>扶贫</mark>协作")]
    [InlineData("職業學校培訓", "职业 培训", "<mark>職業</mark>學校<mark>培訓</mark>")]
    public void Highlight_TraditionalAndSimplified_MarkTheTextsOwnCharacters(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("<script>alert(1)</script>扶贫", "扶贫", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>扶贫</mark>")]
    [InlineData("A & B \"扶贫\" 'x'", "扶贫", "A &amp; B &quot;<mark>扶贫</mark>&quot; &#39;x&#39;")]
    [InlineData("<b>script</b>", "script", "&lt;b&gt;<mark>script</mark>&lt;/b&gt;")]
    [InlineData("<mark>", "mark", "&lt;<mark>mark</mark>&gt;")]
    public void Highlight_Html_IsEncodedAndOnlyMarksAreTags(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("十八洞村", "十八洞 洞村", "<mark>十八洞村</mark>")]
    [InlineData("十八洞村", "十八 洞村", "<mark>十八洞村</mark>")]
    [InlineData("十八洞村", "十八 八洞 洞村", "<mark>十八洞村</mark>")]
    [InlineData("十八洞村", "十八洞村 八洞", "<mark>十八洞村</mark>")]
    [InlineData("十八洞村民", "十八 村民", "<mark>十八</mark>洞<mark>村民</mark>")]
    [InlineData("精准扶贫", "精准扶贫 扶贫", "<mark>精准扶贫</mark>")]
    public void Highlight_OverlappingOrTouchingTerms_BecomeOneMark(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Theory]
    [InlineData("扶贫扶贫扶贫", "贫扶贫", "扶<mark>贫扶贫扶贫</mark>")]
    [InlineData("哈哈哈", "哈哈", "<mark>哈哈哈</mark>")]
    [InlineData("一一一一", "一一一", "<mark>一一一一</mark>")]
    [InlineData("aa aaa", "aa", "<mark>aa</mark> aaa")]
    public void Highlight_OverlappingOccurrencesOfOneTerm_BecomeOneMark(string text, string query, string expected) =>
        Assert.Equal(expected, Highlighter.Highlight(text, Terms(query)));

    [Fact]
    public void Highlight_Phrase_MarksEachOfItsWords()
    {
        var html = Highlighter.Highlight("济南Xiangxi合作", Terms("\"济南 xiangxi\""));

        Assert.Equal("<mark>济南Xiangxi</mark>合作", html);
    }

    [Theory]
    [InlineData("𠀀𠀁𠀀", "𠀀", "<mark>𠀀</mark>𠀁<mark>𠀀</mark>")]
    [InlineData("😀扶贫😀", "扶贫", "😀<mark>扶贫</mark>😀")]
    [InlineData("𠀀扶贫𠀁", "𠀀扶", "<mark>𠀀扶</mark>贫𠀁")]
    public void Highlight_SurrogatePairs_AreNeverSplit(string text, string query, string expected)
    {
        var html = Highlighter.Highlight(text, Terms(query));

        Assert.Equal(expected, WebUtility.HtmlDecode(html));
        AssertRoundTrip(text, html);
    }

    [Fact]
    public void Highlight_RandomTextAndTerms_KeepsTheTextAndNeverSplitsAPair()
    {
        var random = new Random(21);
        for (var n = 0; n < 2_000; n++)
        {
            var text = ChineseTextTests.RandomText(random, random.Next(0, 40));
            // Look for pieces of the text itself, so that there is something to mark.
            var start = text.Length == 0 ? 0 : random.Next(text.Length);
            var query = text[start..Math.Min(text.Length, start + random.Next(1, 6))] + " " + ChineseTextTests.RandomText(random, 3);
            var html = Highlighter.Highlight(text, Terms(query));

            AssertRoundTrip(text, html);
        }
    }

    // ---------------------------------------------------------------- Snippet

    private const string Filler = "近年来各地持续推进东西部协作，不断完善机制，形成了可复制、可推广的经验做法。";

    [Fact]
    public void Snippet_ShortText_IsWholeAndMarkedWithoutEllipsis()
    {
        var html = Highlighter.Snippet("十八洞村人均年收入达14668元", Terms("十八洞"));

        Assert.Equal("<mark>十八洞</mark>村人均年收入达14668元", html);
    }

    [Fact]
    public void Snippet_MatchInTheMiddle_IsAWindowWithEllipsisOnBothSides()
    {
        var text = Repeat(Filler, 10) + "十八洞村培育六大支柱产业" + Repeat(Filler, 10);

        var html = Highlighter.Snippet(text, Terms("十八洞"), 120);

        Assert.StartsWith("…", html);
        Assert.EndsWith("…", html);
        Assert.Contains("<mark>十八洞</mark>村培育六大支柱产业", html);
        var visible = Visible(html).Trim('…');
        Assert.InRange(visible.Length, 100, 121);
        Assert.Contains(visible, text);
    }

    [Fact]
    public void Snippet_NoMatch_IsTheStartOfTheText()
    {
        var text = "开头的话。" + Repeat(Filler, 10);

        var html = Highlighter.Snippet(text, Terms("猕猴桃"), 120);

        Assert.StartsWith("开头的话。", html);
        Assert.EndsWith("…", html);
        Assert.DoesNotContain("<mark>", html);
        Assert.Equal(121, Visible(html).Length);
    }

    [Fact]
    public void Snippet_MatchNearTheEnd_EndsWithTheTextWithoutEllipsis()
    {
        var text = Repeat(Filler, 10) + "猕猴桃";

        var html = Highlighter.Snippet(text, Terms("猕猴桃"), 120);

        Assert.StartsWith("…", html);
        Assert.EndsWith("<mark>猕猴桃</mark>", html);
        Assert.Equal(121, Visible(html).Length);
    }

    [Fact]
    public void Snippet_MatchNearTheStart_BeginsWithTheTextWithoutEllipsis()
    {
        var text = "猕猴桃" + Repeat(Filler, 10);

        var html = Highlighter.Snippet(text, Terms("猕猴桃"), 120);

        Assert.StartsWith("<mark>猕猴桃</mark>", html);
        Assert.EndsWith("…", html);
    }

    [Fact]
    public void Snippet_SeveralMatches_ShowsTheDensestStretch()
    {
        var text = "扶贫" + Repeat(Filler, 10) + "扶贫，扶贫，扶贫。" + Repeat(Filler, 10);

        var html = Highlighter.Snippet(text, Terms("扶贫"), 60);

        Assert.Equal(3, Regex.Matches(html, "<mark>扶贫</mark>").Count);
        Assert.StartsWith("…", html);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(120)]
    [InlineData(200)]
    public void Snippet_Length_BoundsTheVisibleText(int length)
    {
        var text = Repeat(Filler, 20) + "十八洞" + Repeat(Filler, 20);

        var html = Highlighter.Snippet(text, Terms("十八洞 协作"), length);

        var visible = Visible(html);
        Assert.InRange(visible.Trim('…').Length, length, length + 1);
        Assert.Contains(visible.Trim('…'), text);
    }

    [Fact]
    public void Snippet_Whitespace_IsDroppedBetweenChineseCharacters_AndCollapsedToOneSpaceElsewhere()
    {
        Assert.Equal("济南<mark>湘西</mark>扶贫", Highlighter.Snippet("  济南\n\n\t湘西  \r\n 扶贫  ", Terms("湘西")));
        // A paragraph break after Chinese punctuation, or before it, adds nothing: "可推广。近年来".
        Assert.Equal("做法可推广。近年来，<mark>湘西</mark>", Highlighter.Snippet("做法可推广。\n\n近年来\n，湘西", Terms("湘西")));
        // Latin words and numbers keep their space, beside each other and beside Chinese.
        Assert.Equal("共 4482 人 GDP 增长<mark>湘西</mark>", Highlighter.Snippet("共 4482 人\nGDP   增长 \n湘西", Terms("湘西")));
    }

    [Fact]
    public void Snippet_Html_IsEncoded()
    {
        var html = Highlighter.Snippet("<script>alert(1)</script> 扶贫", Terms("扶贫"));

        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; <mark>扶贫</mark>", html);
    }

    [Fact]
    public void Snippet_WindowEdgesInSurrogatePairs_NeverSplitAPair()
    {
        // Every character is a pair, so an odd cut would land between its halves.
        var text = string.Concat(Enumerable.Repeat("𠀀𠀁𠀂", 100)) + "扶贫" + string.Concat(Enumerable.Repeat("𠀃𠀄", 100));
        for (var length = 5; length < 40; length++)
        {
            var html = Highlighter.Snippet(text, Terms("扶贫"), length);

            var visible = Visible(html).Trim('…');
            Assert.DoesNotContain('\uFFFD', visible);
            Assert.Contains(visible, text);
            Assert.Contains("扶贫", visible);
        }
    }

    [Fact]
    public void Snippet_RandomText_StaysWithinTheBoundAndKeepsPairsWhole()
    {
        var random = new Random(4056);
        for (var n = 0; n < 1_000; n++)
        {
            var text = ChineseTextTests.RandomText(random, random.Next(0, 120));
            var length = random.Next(10, 60);
            var query = text.Length == 0 ? "扶贫" : text.Substring(random.Next(text.Length), 1) + " 扶贫";

            var html = Highlighter.Snippet(text, Terms(query), length);

            // The window, a surrogate pair's second half at either edge, and an ellipsis on each side.
            Assert.True(Visible(html).Length <= length + 4, $"{Visible(html).Length} > {length} + 4");
            AssertMarksHoldWholeCharacters(html);
        }
    }

    // ---------------------------------------------------------------- Helpers

    private static IEnumerable<SearchTerm> Terms(string query) => SearchQueryParser.Parse(query).PositiveTerms;

    private static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    [GeneratedRegex("</?mark>")]
    private static partial Regex MarkTag();

    /// <summary>The text a reader sees: marks removed, entities decoded.</summary>
    private static string Visible(string html) => WebUtility.HtmlDecode(MarkTag().Replace(html, ""));

    /// <summary>The marks hold whole characters, and the text is all there, in order, once the marks are gone.</summary>
    private static void AssertRoundTrip(string text, string html)
    {
        Assert.Equal(WebUtility.HtmlDecode(WebUtility.HtmlEncode(text)), Visible(html));
        AssertMarksHoldWholeCharacters(html);
    }

    private static void AssertMarksHoldWholeCharacters(string html)
    {
        foreach (Match mark in Regex.Matches(html, "<mark>(.*?)</mark>"))
        {
            var inner = WebUtility.HtmlDecode(mark.Groups[1].Value);
            Assert.NotEmpty(inner);
            Assert.False(char.IsLowSurrogate(inner[0]), "mark starts with half a pair");
            Assert.False(char.IsHighSurrogate(inner[^1]), "mark ends with half a pair");
            Assert.DoesNotContain('\uFFFD', inner);
        }
        Assert.DoesNotContain("<mark></mark>", html);
    }
}
