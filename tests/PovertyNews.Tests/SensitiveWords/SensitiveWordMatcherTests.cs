using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.SensitiveWords;

/// <summary>
/// The sensitive-word matcher: the Aho–Corasick automaton, the folding of text and words, the Markdown projection and
/// its map back to the source, and replacement.
/// </summary>
public sealed class SensitiveWordMatcherTests
{
    private static readonly MarkdownRenderer Markdown = new();

    private static SensitiveWordList List(params string[] words) =>
        new(words.Select((w, i) => new SensitiveWordEntry(i + 1, w, "", SensitiveWordAction.Flag)));

    /// <summary>Each match as the source text it covers, in the order the list reports them.</summary>
    private static List<string> FindPlain(SensitiveWordList list, string text)
    {
        var projection = TextProjection.OfPlainText(text);
        return list.Find(projection).Select(m => Source(projection, m)).ToList();
    }

    private static TextProjection ProjectMarkdown(string markdown) =>
        TextProjection.OfMarkdown(markdown, Markdown.ParseWithSourcePositions(markdown));

    private static List<string> FindMarkdown(SensitiveWordList list, string markdown)
    {
        var projection = ProjectMarkdown(markdown);
        return list.Find(projection).Select(m => Source(projection, m)).ToList();
    }

    private static string Source(TextProjection projection, WordMatch match)
    {
        var (start, end) = projection.SourceRange(match.Start, match.End);
        return projection.Source[start..end];
    }

    private static string ReplaceMarkdown(SensitiveWordList list, string markdown)
    {
        var projection = ProjectMarkdown(markdown);
        return projection.Mask(list.Find(projection).Select(m => (m.Start, m.End)), SensitiveWord.Mask);
    }

    // ---------------------------------------------------------------- Aho–Corasick

    [Fact]
    public void Automaton_OverlappingWords_AreAllReported()
    {
        var automaton = new AhoCorasick(["扶贫", "贫困", "扶贫困难", "困难"]);
        var matches = new List<AhoCorasick.Match>();

        automaton.FindAll("帮扶贫困难户", matches);

        Assert.Equal(
            [new(0, 1, 3), new(1, 2, 4), new(2, 1, 5), new(3, 3, 5)],
            matches.OrderBy(m => m.Pattern).ToList());
    }

    [Fact]
    public void Automaton_WordsSharingPrefixesAndSuffixes_AreFoundAtEveryEnd()
    {
        string[] words = ["十八", "十八洞", "十八洞村", "洞村", "八洞村", "村"];
        var automaton = new AhoCorasick(words);
        var matches = new List<AhoCorasick.Match>();

        automaton.FindAll("走进十八洞村", matches);

        Assert.Equal(
            [("十八", 2), ("十八洞", 2), ("十八洞村", 2), ("八洞村", 3), ("洞村", 4), ("村", 5)],
            matches.Select(m => (words[m.Pattern], m.Start)).OrderBy(m => m.Start).ThenBy(m => m.Item1.Length).ToList());
    }

    [Fact]
    public void Automaton_RepeatedAndSelfOverlappingOccurrences_AreEachReported()
    {
        var automaton = new AhoCorasick(["哈哈"]);
        var matches = new List<AhoCorasick.Match>();

        automaton.FindAll("哈哈哈哈", matches);

        Assert.Equal([0, 1, 2], matches.Select(m => m.Start));
    }

    [Fact]
    public void Automaton_FailureLinksAfterAPartialMatch_StillFindTheShorterWord()
    {
        // "abcd" fails at 'x'; the automaton must fall back to "bc" and then find "cx".
        var automaton = new AhoCorasick(["abcd", "bc", "cx"]);
        var matches = new List<AhoCorasick.Match>();

        automaton.FindAll("abcx", matches);

        Assert.Equal([new(1, 1, 3), new(2, 2, 4)], matches);
    }

    [Fact]
    public void Automaton_NodeWithManyBranches_UsesTheSearchPathCorrectly()
    {
        // More than eight continuations of one state: the binary search path.
        var words = Enumerable.Range(0, 40).Select(i => "扶" + (char)('甲' + i * 3)).ToArray();
        var automaton = new AhoCorasick(words);
        var matches = new List<AhoCorasick.Match>();

        automaton.FindAll(string.Concat(words.Reverse()), matches);

        Assert.Equal(40, matches.Count);
        Assert.Equal(Enumerable.Range(0, 40).Reverse(), matches.Select(m => m.Pattern));
    }

    [Fact]
    public void EmptyList_FindsNothing()
    {
        Assert.Empty(FindPlain(List(), "任何文字"));
        Assert.Empty(FindPlain(SensitiveWordList.Empty, "任何文字"));
        var matches = new List<AhoCorasick.Match>();
        new AhoCorasick([]).FindAll("任何文字", matches);
        Assert.Empty(matches);
    }

    [Fact]
    public void OneCharacterWords_AreFoundEverywhere()
    {
        Assert.Equal(["毒", "毒"], FindPlain(List("毒"), "毒品与病毒"));
        Assert.Equal(["a"], FindPlain(List("a"), "a cat"));
    }

    [Fact]
    public void ListOrder_IsByStartThenLongestFirst()
    {
        Assert.Equal(["扶贫困难", "扶贫", "贫困", "困难"], FindPlain(List("扶贫", "贫困", "扶贫困难", "困难"), "扶贫困难"));
    }

    // ---------------------------------------------------------------- Folding

    [Theory]
    [InlineData("ＢＡＤ", "这是bad")]
    [InlineData("bad", "这是ＢＡＤ")]
    [InlineData("Bad", "bAD")]
    [InlineData("１１０", "报警电话110")]
    [InlineData("110", "报警电话１１０")]
    [InlineData("ＶＰＮ软件", "下载vpn软件")]
    public void FullWidthHalfWidthAndCase_MatchEachOther(string word, string text) =>
        Assert.Equal(text[^word.Length..], Assert.Single(FindPlain(List(word), text)));

    [Theory]
    [InlineData("art", "the party", 0)]
    [InlineData("art", "modern art.", 1)]
    [InlineData("art", "艺术art展", 1)]
    [InlineData("xiangxi", "Xiangxi2020", 1)]
    [InlineData("110", "1101", 0)]
    [InlineData("110", "拨打110报警", 1)]
    [InlineData("bad word", "a bad   word here", 1)]
    [InlineData("bad word", "a badword here", 0)]
    public void AlphabeticWordsAndNumbers_MatchWhole(string word, string text, int count) =>
        Assert.Equal(count, FindPlain(List(word), text).Count);

    [Theory]
    [InlineData("敏 感 词")]
    [InlineData("敏\u200B感\u200D词")]
    [InlineData("敏　感词")]
    [InlineData("敏\u00AD感词")]
    public void SpacesAndInvisibleCharactersBetweenChineseCharacters_DoNotHideAWord(string text) =>
        Assert.Single(FindPlain(List("敏感词"), text));

    [Fact]
    public void Punctuation_StillSeparatesWords() =>
        Assert.Empty(FindPlain(List("敏感词"), "敏，感词"));

    [Theory]
    [InlineData("  ＡＢＣ  ", "abc")]
    [InlineData("敏 感", "敏感")]
    [InlineData("Bad   Word", "bad word")]
    [InlineData("\u200B", "")]
    [InlineData("扶贫 Ａ 协作", "扶贫 a 协作")]
    public void Normalize_FoldsCaseWidthAndSpaces(string word, string expected) =>
        Assert.Equal(expected, SensitiveText.Normalize(word));

    [Fact]
    public void WordsThatNormaliseAlike_KeepTheStrongerAction()
    {
        var list = new SensitiveWordList(
        [
            new(1, "ＶＰＮ", "", SensitiveWordAction.Flag),
            new(2, "vpn", "", SensitiveWordAction.Block),
            new(3, "Vpn", "", SensitiveWordAction.Replace),
        ]);

        var entry = Assert.Single(list.Entries);
        Assert.Equal((2, SensitiveWordAction.Block), (entry.Id, entry.Action));
    }

    // ---------------------------------------------------------------- Markdown

    [Theory]
    [InlineData("这是敏**感**词。", "敏**感**词")]
    [InlineData("这是**敏感**词。", "敏感**词")]
    [InlineData("这是 _敏感_ 词。", "敏感_ 词")]
    [InlineData("这是 __敏__ 感词。", "敏__ 感词")]
    [InlineData("这是*敏感词*。", "敏感词")]
    [InlineData("这是~~敏感~~词。", "敏感~~词")]
    [InlineData("这是[敏感](https://example.com/a)词。", "敏感](https://example.com/a)词")]
    [InlineData("这是`敏感`词。", "敏感`词")]
    [InlineData("这是敏\n感词，一段之内的换行。", "敏\n感词")]
    [InlineData("这是敏  \n感词，硬换行。", "敏  \n感词")]
    [InlineData("## 标题里的敏**感词**", "敏**感词")]
    [InlineData("> 引用里的敏感\n> 词", "敏感\n> 词")]
    [InlineData("- 列表里的敏*感*词", "敏*感*词")]
    [InlineData("这是&#25935;感词。", "&#25935;感词")]
    [InlineData("![敏感词的图片](/a.png)", "敏感词")]
    public void WordSplitByMarkup_IsFoundWithItsSourceRange(string markdown, string source) =>
        Assert.Equal([source], FindMarkdown(List("敏感词"), markdown));

    [Theory]
    [InlineData("敏感\n\n词")]
    [InlineData("| 敏感 | 词 |\n| --- | --- |\n| a | b |")]
    [InlineData("# 敏感\n词")]
    [InlineData("[链接](https://example.com/敏感词)")]
    public void WordsAcrossBlocksOrInLinkTargets_AreNotFound(string markdown) =>
        Assert.Empty(FindMarkdown(List("敏感词"), markdown));

    [Fact]
    public void CodeBlocks_AreReadToo()
    {
        Assert.Equal(["敏感词"], FindMarkdown(List("敏感词"), "```\n代码里的敏感词\n```"));
        Assert.Equal(["敏感词"], FindMarkdown(List("敏感词"), "正文\n\n    缩进代码敏感词\n"));
    }

    [Fact]
    public void Positions_MapToTheSourceLineAndColumn()
    {
        var markdown = "第一段没有。\n\n> 第二段的**敏感**词在这里\n\n末段";
        var projection = ProjectMarkdown(markdown);
        var match = Assert.Single(List("敏感词").Find(projection));
        var (start, end) = projection.SourceRange(match.Start, match.End);

        var hit = SensitiveWordReport.Hit("Body", "正文", true, match.Entry, markdown, SensitiveWordReport.LineStarts(markdown), start, end);

        Assert.Equal((3, 9), (hit.Line, hit.Column));
        Assert.Equal("敏感**词", hit.Matched);
        Assert.Equal("第一段没有。  > 第二段的**", hit.Before);
        Assert.Equal("在这里  末段", hit.After);
        Assert.Equal("正文第 3 行第 9 列", hit.Position);
    }

    [Fact]
    public void Column_CountsASurrogatePairAsOneCharacter()
    {
        var text = "𠀀𠀀敏感词";
        var projection = TextProjection.OfPlainText(text);
        var match = Assert.Single(List("敏感词").Find(projection));
        var (start, end) = projection.SourceRange(match.Start, match.End);

        var hit = SensitiveWordReport.Hit("Title", "标题", false, match.Entry, text, SensitiveWordReport.LineStarts(text), start, end);

        Assert.Equal(3, hit.Column);
        Assert.Equal("标题第 3 个字", hit.Position);
    }

    // ---------------------------------------------------------------- Replacement

    [Theory]
    [InlineData("这是敏感词。", "这是＊＊＊。")]
    [InlineData("这是敏**感**词。", "这是＊**＊**＊。")]
    [InlineData("这是[敏感](https://example.com/敏感词)词。", "这是[＊＊](https://example.com/敏感词)＊。")]
    [InlineData("这是`敏感`词。", "这是`＊＊`＊。")]
    [InlineData("这是敏\n感词。", "这是＊\n＊＊。")]
    [InlineData("这是敏 感 词。", "这是＊ ＊ ＊。")]
    [InlineData("这是&#25935;感词。", "这是＊＊＊。")]
    [InlineData("敏感词敏感词", "＊＊＊＊＊＊")]
    [InlineData("没有要替换的", "没有要替换的")]
    public void Replacement_KeepsMarkupAndReplacesOnlyTheWordsCharacters(string markdown, string expected) =>
        Assert.Equal(expected, ReplaceMarkdown(List("敏感词"), markdown));

    [Fact]
    public void Replacement_OfOverlappingWords_MasksTheirUnion() =>
        Assert.Equal("帮＊＊＊＊户", ReplaceMarkdown(List("扶贫", "贫困", "困难"), "帮扶贫困难户"));

    [Fact]
    public void Replacement_OfFullWidthAndCaseVariants_KeepsTheLengthPerCharacter() =>
        Assert.Equal("下载＊＊＊软件，＊＊＊", ReplaceMarkdown(List("vpn"), "下载ＶＰＮ软件，VPN"));

    [Fact]
    public void Replacement_OfACharacterOutsideTheBasicPlane_IsOneMask() =>
        Assert.Equal("＊＊字", TextProjection.OfPlainText("𠀀字字").Mask(List("𠀀字").Find(TextProjection.OfPlainText("𠀀字字")).Select(m => (m.Start, m.End)), SensitiveWord.Mask));

    [Fact]
    public void Replacement_OfAnEscapedCharacter_TakesItsBackslash() =>
        Assert.Equal("a＊b", ReplaceMarkdown(List("#"), "a\\#b"));

    // ---------------------------------------------------------------- Word rules

    [Theory]
    [InlineData("", "请填写敏感词。")]
    [InlineData("   ", "请填写敏感词。")]
    [InlineData("敏感\t词", "敏感词不能含有换行、制表符等控制字符。")]
    [InlineData("敏感\n词", "敏感词不能含有换行、制表符等控制字符。")]
    [InlineData("#话题", "敏感词不能以“#”开头（导入文件中以 # 开头的行是注释），请去掉 #。")]
    [InlineData("\u200B\u200B", "敏感词不能只由空格或不可见字符组成。")]
    public void Check_RefusesBadWordsWithAChineseMessage(string word, string message) =>
        Assert.Equal(message, SensitiveWord.Check(word, out _, out _));

    [Fact]
    public void Check_RefusesTooLongWords()
    {
        Assert.StartsWith("敏感词不能超过 50 个字符", SensitiveWord.Check(new string('词', 51), out _, out _));
        Assert.Null(SensitiveWord.Check(new string('词', 50), out var word, out var normalized));
        Assert.Equal((50, 50), (word.Length, normalized.Length));
    }

    [Fact]
    public void Check_TrimsAndNormalises()
    {
        Assert.Null(SensitiveWord.Check("  ＶＰＮ 软件 ", out var word, out var normalized));
        Assert.Equal(("ＶＰＮ 软件", "vpn 软件"), (word, normalized));
    }
}
