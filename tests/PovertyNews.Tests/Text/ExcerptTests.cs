using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Text;

/// <summary>Summaries cut for share cards (og:description): short, whole characters, a whole sentence where one fits.</summary>
public sealed class ExcerptTests
{
    [Fact]
    public void ShortText_IsKept_WithItsLinesAsSpaces()
    {
        Assert.Equal("十八洞村 发展六大产业。", Excerpt.Trim("  十八洞村\n\n  发展六大产业。 "));
        Assert.Equal("", Excerpt.Trim(null));
        Assert.Equal("", Excerpt.Trim(" \n "));
    }

    [Fact]
    public void TextOfExactlyTheLimit_IsKept()
    {
        var text = new string('贫', Excerpt.ShareLength);
        Assert.Equal(text, Excerpt.Trim(text));
    }

    [Fact]
    public void LongTextWithoutSentenceEnd_IsCutToTheLimit_WithAnEllipsis()
    {
        var text = new string('扶', 300);

        var trimmed = Excerpt.Trim(text);

        Assert.Equal(Excerpt.ShareLength, trimmed.Length);
        Assert.EndsWith("扶…", trimmed);
    }

    [Fact]
    public void SurrogatePairAtTheCut_IsLeftOutWhole()
    {
        // 118 characters, then characters outside the Basic Multilingual Plane (two UTF-16 units each): a cut at 119
        // units would split the first one and leave half a character, which XML and JSON reject.
        var text = string.Concat(Enumerable.Repeat("扶贫", 59)) + string.Concat(Enumerable.Repeat("𠀀", 20));

        var trimmed = Excerpt.Trim(text);

        Assert.True(trimmed.Length <= Excerpt.ShareLength);
        Assert.Equal(string.Concat(Enumerable.Repeat("扶贫", 59)) + "…", trimmed);
        Assert.DoesNotContain(trimmed, char.IsSurrogate);
    }

    [Fact]
    public void WholeSurrogatePairs_BeforeTheCut_AreKept()
    {
        var text = string.Concat(Enumerable.Repeat("𠀀", 100));

        var trimmed = Excerpt.Trim(text);

        Assert.Equal(string.Concat(Enumerable.Repeat("𠀀", 59)) + "…", trimmed);
        Assert.True(char.IsSurrogatePair(trimmed, 116));
    }

    [Fact]
    public void CombiningMark_StaysWithItsLetter()
    {
        // "é" as e + U+0301: the cut must not leave the accent behind or the letter without it.
        var text = new string('a', 118) + "e\u0301" + new string('b', 50);

        var trimmed = Excerpt.Trim(text);

        Assert.Equal(new string('a', 118) + "…", trimmed);
    }

    [Fact]
    public void SentenceEndInTheSecondHalf_EndsTheExcerpt_WithoutEllipsis()
    {
        var first = new string('协', 80) + "。";
        var text = first + new string('作', 100);

        Assert.Equal(first, Excerpt.Trim(text));
    }

    [Fact]
    public void SentenceEndTooEarly_IsNotUsed_APauseNearTheEndIs()
    {
        var text = "短句。" + new string('帮', 90) + "，" + new string('扶', 100);

        var trimmed = Excerpt.Trim(text);

        Assert.Equal("短句。" + new string('帮', 90) + "…", trimmed);
    }

    [Fact]
    public void SmallerLimit_IsHonoured()
    {
        Assert.Equal("湘西州…", Excerpt.Trim("湘西州人民政府与两家企业签约", 4));
    }
}
