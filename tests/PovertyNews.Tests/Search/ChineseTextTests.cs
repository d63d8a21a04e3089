using System.Globalization;
using System.Text;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public sealed class ChineseTextTests
{
    // ---------------------------------------------------------------- Fold

    [Theory]
    [InlineData("ＸＩＡＮＧＸＩ１４６６８", "xiangxi14668")]
    [InlineData("XiangXi", "xiangxi")]
    [InlineData("Ｈｅｌｌｏ\u3000Ｗｏｒｌｄ", "hello world")]
    [InlineData("，！？：；（）［］｛｝＂＇＊＋－／＼＾＜＞｜", ",!?:;()[]{}\"'*+-/\\^<>|")]
    [InlineData("ｶﾀｶﾅ", "カタカナ")]
    [InlineData("①²", "12")]
    [InlineData("ΩΣ", "ωσ")]
    [InlineData("扶贫协作", "扶贫协作")]
    [InlineData("。、《》“”「」", "。、《》“”「」")]
    [InlineData("ﬁ", "ﬁ")]
    [InlineData("", "")]
    public void Fold_FullWidthAndUpperCase_BecomeHalfWidthLowerCase(string input, string expected) =>
        Assert.Equal(expected, ChineseText.Fold(input));

    [Theory]
    [InlineData('Ａ', 'a')]
    [InlineData('ｚ', 'z')]
    [InlineData('０', '0')]
    [InlineData('\u3000', ' ')]
    [InlineData('－', '-')]
    [InlineData('＂', '"')]
    [InlineData('Q', 'q')]
    [InlineData('贫', '贫')]
    [InlineData('\uD840', '\uD840')]
    [InlineData('\uDC00', '\uDC00')]
    public void Fold_OneCharacter_MatchesTheTable(char input, char expected) =>
        Assert.Equal(expected, ChineseText.Fold(input));

    [Fact]
    public void Fold_RandomStrings_KeepLengthAndFoldCharacterByCharacter()
    {
        var random = new Random(20200623);
        for (var n = 0; n < 2_000; n++)
        {
            var text = RandomText(random, random.Next(0, 40));
            var folded = ChineseText.Fold(text);

            Assert.Equal(text.Length, folded.Length);
            for (var i = 0; i < text.Length; i++)
            {
                Assert.Equal(ChineseText.Fold(text[i]), folded[i]);
                if (char.IsSurrogate(text[i]))
                {
                    Assert.Equal(text[i], folded[i]);
                }
            }
        }
    }

    [Fact]
    public void Fold_EveryCharacter_StaysOneCharacterAndSurrogatesStayThemselves()
    {
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var folded = ChineseText.Fold(c);
            Assert.Equal(char.IsSurrogate(c), char.IsSurrogate(folded));
            if (char.IsSurrogate(c))
            {
                Assert.Equal(c, folded);
            }
        }
    }

    [Fact]
    public void Fold_FoldedText_FoldsToItself()
    {
        // The query is folded once and the text once; a second fold changing anything would make them disagree.
        var unstable = Enumerable.Range(0, char.MaxValue + 1)
            .Select(i => (char)i)
            .Where(c => ChineseText.Fold(ChineseText.Fold(c)) != ChineseText.Fold(c))
            .Select(c => $"U+{(int)c:X4}")
            .ToList();

        Assert.Empty(unstable);
    }

    [Theory]
    [InlineData("扶貧", "扶贫")]
    [InlineData("東西部扶貧協作", "东西部扶贫协作")]
    [InlineData("湘西土家族苗族自治州", "湘西土家族苗族自治州")]
    [InlineData("濟南市黨政代表團赴湘西考察", "济南市党政代表团赴湘西考察")]
    [InlineData("職業學校培訓4482人", "职业学校培训4482人")]
    [InlineData("「扶貧」，《湘西》！", "「扶贫」,《湘西》!")]
    [InlineData("ＸＩＡＮＧ貧", "xiang贫")]
    [InlineData("乾隆", "干隆")]
    public void Fold_TraditionalCharacters_BecomeSimplified(string input, string expected)
    {
        var folded = ChineseText.Fold(input);

        Assert.Equal(expected, folded);
        Assert.Equal(input.Length, folded.Length);
    }

    [Theory]
    [InlineData("扶贫协作湘西十八洞村")]
    [InlineData("中国产业经济信息网")]
    [InlineData("。、《》“”「」…—")]
    public void Fold_SimplifiedTextAndChinesePunctuation_StayAsTheyAre(string input) =>
        Assert.Equal(input, ChineseText.Fold(input));

    [Fact]
    public void Fold_TheShippedMap_IsLoadedWhole()
    {
        var map = ChineseText.TraditionalToSimplified();

        Assert.InRange(map.Count, 2_500, 4_000);
        Assert.All(map, pair => Assert.NotEqual(pair.Key, pair.Value));
        // A target is never a key itself: one fold reaches the end.
        Assert.DoesNotContain(map.Values, map.ContainsKey);
        Assert.Equal('贫', ChineseText.Fold('貧'));
    }

    [Fact]
    public void IndexTokens_TraditionalText_AreTheSimplifiedTokens() =>
        Assert.Equal(ChineseText.IndexTokens("东西部扶贫协作"), ChineseText.IndexTokens("東西部扶貧協作"));

    [Fact]
    public void FoldWidthAndCase_LeavesTraditionalCharacters()
    {
        Assert.Equal('貧', ChineseText.FoldWidthAndCase('貧'));
        Assert.Equal('a', ChineseText.FoldWidthAndCase('Ａ'));
    }

    [Theory]
    [InlineData("😀扶贫😀")]
    [InlineData("𠀀𠀁𠀂")]
    public void Fold_SurrogatesAndEmoji_AreLeftAlone(string input) =>
        Assert.Equal(input, ChineseText.Fold(input));

    [Fact]
    public void Fold_LoneSurrogates_AreLeftAlone()
    {
        // Built in code: an attribute cannot hold half a surrogate pair.
        foreach (var input in new[] { "a\uD83Db", "\uDE00x", "\uD840" })
        {
            Assert.Equal(input, ChineseText.Fold(input));
        }
    }

    // ---------------------------------------------------------------- Runs and index tokens

    [Fact]
    public void Runs_MixedText_SplitsIntoChineseWordChineseRuns()
    {
        var folded = ChineseText.Fold("济南Xiangxi14668元");

        var runs = ChineseText.Runs(folded);

        // Digits go with the Chinese: numbers are cut into bigrams so parts of them can be found.
        Assert.Equal(
            [
                new ChineseText.Run(ChineseText.RunKind.Chinese, 0, 2),
                new ChineseText.Run(ChineseText.RunKind.Word, 2, 7),
                new ChineseText.Run(ChineseText.RunKind.Chinese, 9, 6),
            ],
            runs);
        Assert.Equal("xiangxi", folded.Substring(runs[1].Start, runs[1].Length));
        Assert.Equal("14668元", folded.Substring(runs[2].Start, runs[2].Length));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("，。！？ \n\t", 0)]
    [InlineData("扶贫", 1)]
    [InlineData("扶贫 湘西", 2)]
    [InlineData("abc def", 2)]
    [InlineData("abc扶贫def", 3)]
    [InlineData("𠀀𠀁😀扶贫", 2)]
    public void Runs_Count_IsTheNumberOfSearchableStretches(string text, int expected) =>
        Assert.Equal(expected, ChineseText.Runs(ChineseText.Fold(text)).Count);

    [Fact]
    public void Runs_CombiningMark_BelongsToTheWordItFollows()
    {
        var runs = ChineseText.Runs("cafe\u0301 au");

        Assert.Equal(new ChineseText.Run(ChineseText.RunKind.Word, 0, 5), runs[0]);
        Assert.Equal(2, runs.Count);
    }

    [Theory]
    [InlineData("扶贫协作", "扶贫 贫协 协作 作 ")]
    [InlineData("济南Xiangxi14668元", "济南 南 xiangxi 14 46 66 68 8元 元 ")]
    [InlineData("全村人均年收入达14668元", "全村 村人 人均 均年 年收 收入 入达 达1 14 46 66 68 8元 元 ")]
    [InlineData("ＸＩＡＮＧＸＩ", "xiangxi ")]
    [InlineData("Poverty Alleviation", "poverty alleviation ")]
    [InlineData("贫", "贫 ")]
    [InlineData("々〇", "々〇 〇 ")]
    [InlineData("ひらがなカタカナ", "ひら らが がな なカ カタ タカ カナ ナ ")]
    [InlineData("한국어", "한국 국어 어 ")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("，。 ！", "")]
    public void IndexTokens_Text_GivesBigramsAndWords(string? text, string expected) =>
        Assert.Equal(expected, ChineseText.IndexTokens(text));

    [Theory]
    [InlineData("，")]
    [InlineData("。")]
    [InlineData("、")]
    [InlineData("：")]
    [InlineData(" ")]
    [InlineData("\u3000")]
    [InlineData("\n")]
    [InlineData("·")]
    [InlineData("—")]
    [InlineData("《")]
    [InlineData("…")]
    [InlineData("😀")]
    [InlineData("・")]
    [InlineData("･")]
    [InlineData("゠")]
    [InlineData("゛")]
    public void IndexTokens_PunctuationBetweenChineseWords_SeparatesTheRuns(string separator)
    {
        var tokens = Tokens(ChineseText.IndexTokens("扶贫" + separator + "湘西"));

        Assert.Equal(["扶贫", "贫", "湘西", "西"], tokens);
        Assert.DoesNotContain("贫湘", tokens);
    }

    [Fact]
    public void AppendIndexTokens_SeveralFields_ConcatenateWithoutJoiningWords()
    {
        var sb = new StringBuilder();

        ChineseText.AppendIndexTokens(sb, "东西部扶贫协作");
        ChineseText.AppendIndexTokens(sb, null);
        ChineseText.AppendIndexTokens(sb, "湘西");

        Assert.Equal("东西 西部 部扶 扶贫 贫协 协作 作 湘西 西 ", sb.ToString());
    }

    [Theory]
    [InlineData("𠀀𠀁扶", "𠀀𠀁 𠀁扶 扶 ")]
    [InlineData("扶𠀀", "扶𠀀 𠀀 ")]
    [InlineData("扶贫😀协作", "扶贫 贫 协作 作 ")]
    public void IndexTokens_SurrogatePairs_StayWhole(string text, string expected) =>
        Assert.Equal(expected, ChineseText.IndexTokens(text));

    [Fact]
    public void IndexTokens_LoneSurrogate_SeparatesLikePunctuation()
    {
        Assert.Equal("扶 贫 ", ChineseText.IndexTokens("扶\uD840贫"));
        Assert.Equal("扶 贫 ", ChineseText.IndexTokens("扶\uDC00贫"));
        Assert.Equal("扶贫 贫 ", ChineseText.IndexTokens("扶贫\uD840"));
        Assert.Null(ChineseText.Term("\uD840"));
    }

    [Fact]
    public void IndexTokens_RandomStrings_NeverHoldHalfASurrogatePairOrPunctuation()
    {
        var random = new Random(146_68);
        for (var n = 0; n < 2_000; n++)
        {
            var text = RandomText(random, random.Next(0, 40));
            foreach (var token in Tokens(ChineseText.IndexTokens(text)))
            {
                AssertSearchableToken(token, text);
            }
        }
    }

    // ---------------------------------------------------------------- Term

    [Theory]
    [InlineData("湘西", new[] { "湘西" }, false)]
    [InlineData("脱贫攻坚", new[] { "脱贫", "贫攻", "攻坚" }, false)]
    [InlineData("贫", new[] { "贫" }, true)]
    [InlineData("济南xiangxi", new[] { "济南", "南", "xiangxi" }, false)]
    [InlineData("xiangxi济", new[] { "xiangxi", "济" }, true)]
    [InlineData("xiangxi济南", new[] { "xiangxi", "济南" }, false)]
    [InlineData("xiangxi", new[] { "xiangxi" }, false)]
    [InlineData("14668元", new[] { "14", "46", "66", "68", "8元" }, false)]
    [InlineData("扶贫，湘西", new[] { "扶贫", "贫", "湘西" }, false)]
    [InlineData("湘西 旅游", new[] { "湘西", "西", "旅游" }, false)]
    [InlineData("贫 湘", new[] { "贫", "湘" }, true)]
    [InlineData("𠀀", new[] { "𠀀" }, true)]
    [InlineData("𠀀𠀁", new[] { "𠀀𠀁" }, false)]
    [InlineData("quoted phrase", new[] { "quoted", "phrase" }, false)]
    public void Term_FoldedText_GivesConsecutiveTokens(string folded, string[] tokens, bool lastIsPrefix)
    {
        var term = ChineseText.Term(folded);

        Assert.NotNull(term);
        Assert.Equal(tokens, term.Tokens);
        Assert.Equal(lastIsPrefix, term.LastIsPrefix);
    }

    [Theory]
    [InlineData("扶贫，湘西", "扶贫 湘西")]
    [InlineData("  十八洞村  ", "十八洞村")]
    [InlineData("济南xiangxi", "济南 xiangxi")]
    [InlineData("*扶贫*", "扶贫")]
    public void Term_Text_IsTheRunsJoinedBySpaces(string folded, string expected) =>
        Assert.Equal(expected, ChineseText.Term(folded)?.Text);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("，。！？")]
    [InlineData("*:^()\"")]
    [InlineData("😀")]
    [InlineData("・")]
    public void Term_NothingSearchable_IsNull(string folded) =>
        Assert.Null(ChineseText.Term(folded));

    // ---------------------------------------------------------------- The design: a term is found where its text is

    public static TheoryData<string> CorpusFiles() => [.. CorpusFileNames()];

    private static string[] CorpusFileNames() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "content", "articles"), "*.md").Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Corpus_HasArticles() => Assert.True(CorpusFileNames().Length >= 10);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Term_EverySubstringOfAChineseRunInAnArticle_IsFoundAsConsecutiveIndexTokens(string file)
    {
        var checkedSubstrings = 0;
        foreach (var text in CorpusTexts(file))
        {
            checkedSubstrings += AssertEverySubstringIsFound(text);
        }
        Assert.True(checkedSubstrings > 100, $"only {checkedSubstrings} substrings in {file}");
    }

    [Theory]
    [InlineData("扶贫协作")]
    [InlineData("济南Xiangxi14668元，十八洞村")]
    [InlineData("𠀀𠀁扶贫，😀湘西𠀂𠀃𠀄 ＸＩＡＮＧＸＩ　全村人均")]
    [InlineData("哈哈哈哈哈哈哈哈")]
    [InlineData("ひらがなとカタカナ・한국어")]
    public void Term_EverySubstringOfAChineseRun_IsFoundAsConsecutiveIndexTokens(string text) =>
        Assert.True(AssertEverySubstringIsFound(text) > 0);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Term_StretchesAcrossRunsInAnArticle_AreFoundAtTheirPosition(string file)
    {
        foreach (var text in CorpusTexts(file))
        {
            AssertStretchesAcrossRunsAreFound(text);
        }
    }

    [Theory]
    [InlineData("济南Xiangxi14668元")]
    [InlineData("在济南xiangxi考察，湘西 旅游")]
    [InlineData("abc 扶贫 def，贫")]
    public void Term_StretchesAcrossRuns_AreFoundAtTheirPosition(string text) =>
        AssertStretchesAcrossRunsAreFound(text);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Term_TwoCharactersJoinedAcrossPunctuationInAnArticle_AreNotFound(string file)
    {
        foreach (var text in CorpusTexts(file))
        {
            AssertJoinsAcrossPunctuationAreNotFound(text);
        }
    }

    [Theory]
    [InlineData("扶贫，湘西", "贫湘")]
    [InlineData("精准扶贫。十八洞村", "贫十")]
    [InlineData("济南 湘西", "南湘")]
    [InlineData("第一段\n第二段", "段第")]
    [InlineData("扶贫・湘西", "贫湘")]
    public void Term_TwoCharactersNotInTheText_AreNotFound(string text, string absent)
    {
        var tokens = Tokens(ChineseText.IndexTokens(text));
        var term = ChineseText.Term(ChineseText.Fold(absent))!;

        Assert.False(ContainsConsecutive(tokens, term.Tokens, term.LastIsPrefix));
    }

    // ---------------------------------------------------------------- Helpers

    private static int AssertEverySubstringIsFound(string text)
    {
        var folded = ChineseText.Fold(text);
        var (tokens, tokenAt) = IndexedTokens(text);
        var count = 0;
        foreach (var run in ChineseText.Runs(folded).Where(r => r.Kind == ChineseText.RunKind.Chinese))
        {
            var starts = RuneStarts(folded, run.Start, run.Start + run.Length);
            for (var s = 0; s < starts.Count; s++)
            {
                // Substrings of 1 to 6 characters (runes) starting at starts[s].
                for (var length = 1; length <= 6 && s + length <= starts.Count; length++)
                {
                    var end = s + length < starts.Count ? starts[s + length] : run.Start + run.Length;
                    var piece = folded[starts[s]..end];
                    var term = ChineseText.Term(piece);
                    Assert.NotNull(term);
                    var at = tokenAt[starts[s]];
                    if (length == 1)
                    {
                        Assert.True(term.LastIsPrefix, piece);
                        Assert.Equal([piece], term.Tokens);
                        Assert.StartsWith(piece, tokens[at], StringComparison.Ordinal);
                    }
                    else
                    {
                        Assert.False(term.LastIsPrefix, piece);
                        Assert.Equal(length - 1, term.Tokens.Count);
                        Assert.Equal(term.Tokens, tokens.Skip(at).Take(term.Tokens.Count));
                        Assert.True(ContainsConsecutive(tokens, term.Tokens, lastIsPrefix: false), piece);
                    }
                    count++;
                }
            }
        }
        return count;
    }

    private static void AssertStretchesAcrossRunsAreFound(string text)
    {
        var folded = ChineseText.Fold(text);
        var (tokens, tokenAt) = IndexedTokens(text);
        var runs = ChineseText.Runs(folded);

        // Where a searched stretch may begin or end: between two characters of a Chinese run, or at a word's edges.
        var starts = new List<int>();
        var ends = new HashSet<int>();
        foreach (var run in runs)
        {
            if (run.Kind == ChineseText.RunKind.Word)
            {
                starts.Add(run.Start);
                ends.Add(run.Start + run.Length);
                continue;
            }
            var runeStarts = RuneStarts(folded, run.Start, run.Start + run.Length);
            starts.AddRange(runeStarts);
            ends.UnionWith(runeStarts.Skip(1));
            ends.Add(run.Start + run.Length);
        }

        foreach (var start in starts)
        {
            var runIndex = runs.FindIndex(r => start >= r.Start && start < r.Start + r.Length);
            var lastRun = Math.Min(runs.Count - 1, runIndex + 2);
            foreach (var end in ends.Where(e => e > start && e <= runs[lastRun].Start + runs[lastRun].Length && e - start <= 16))
            {
                var piece = folded[start..end];
                var term = ChineseText.Term(piece);
                Assert.NotNull(term);
                var at = tokenAt[start];
                Assert.True(at + term.Tokens.Count <= tokens.Count, piece);
                for (var i = 0; i < term.Tokens.Count; i++)
                {
                    if (i == term.Tokens.Count - 1 && term.LastIsPrefix)
                    {
                        Assert.StartsWith(term.Tokens[i], tokens[at + i], StringComparison.Ordinal);
                    }
                    else
                    {
                        Assert.Equal(term.Tokens[i], tokens[at + i]);
                    }
                }
            }
        }
    }

    private static void AssertJoinsAcrossPunctuationAreNotFound(string text)
    {
        var folded = ChineseText.Fold(text);
        var tokens = Tokens(ChineseText.IndexTokens(text));
        var runs = ChineseText.Runs(folded);
        for (var r = 0; r + 1 < runs.Count; r++)
        {
            var (left, right) = (runs[r], runs[r + 1]);
            if (left.Kind != ChineseText.RunKind.Chinese || right.Kind != ChineseText.RunKind.Chinese)
            {
                continue;
            }
            var lastStart = RuneStarts(folded, left.Start, left.Start + left.Length)[^1];
            var joined = folded[lastStart..(left.Start + left.Length)]
                + folded.Substring(right.Start, RuneStarts(folded, right.Start, right.Start + right.Length) is [_, var second, ..] ? second - right.Start : right.Length);
            if (folded.Contains(joined, StringComparison.Ordinal))
            {
                continue;
            }
            var term = ChineseText.Term(joined)!;
            Assert.Equal([joined], term.Tokens);
            Assert.False(ContainsConsecutive(tokens, term.Tokens, term.LastIsPrefix), joined);
        }
    }

    /// <summary>The index tokens, and for each position where a token begins, that token's index.</summary>
    private static (List<string> Tokens, Dictionary<int, int> TokenAt) IndexedTokens(string text)
    {
        var folded = ChineseText.Fold(text);
        var tokens = Tokens(ChineseText.IndexTokens(text));
        var tokenAt = new Dictionary<int, int>();
        foreach (var run in ChineseText.Runs(folded))
        {
            if (run.Kind == ChineseText.RunKind.Word)
            {
                tokenAt[run.Start] = tokenAt.Count;
                continue;
            }
            foreach (var start in RuneStarts(folded, run.Start, run.Start + run.Length))
            {
                tokenAt[start] = tokenAt.Count;
            }
        }
        Assert.Equal(tokens.Count, tokenAt.Count);
        return (tokens, tokenAt);
    }

    private static List<int> RuneStarts(string s, int from, int to)
    {
        var starts = new List<int>();
        for (var i = from; i < to; i += char.IsHighSurrogate(s[i]) && i + 1 < to && char.IsLowSurrogate(s[i + 1]) ? 2 : 1)
        {
            starts.Add(i);
        }
        return starts;
    }

    internal static List<string> Tokens(string indexTokens) =>
        indexTokens.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    internal static bool ContainsConsecutive(IReadOnlyList<string> tokens, IReadOnlyList<string> needle, bool lastIsPrefix)
    {
        for (var at = 0; at + needle.Count <= tokens.Count; at++)
        {
            var all = true;
            for (var i = 0; i < needle.Count && all; i++)
            {
                all = i == needle.Count - 1 && lastIsPrefix
                    ? tokens[at + i].StartsWith(needle[i], StringComparison.Ordinal)
                    : tokens[at + i] == needle[i];
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A token the index can hold: letters and numbers (Chinese characters are letters), combining marks after a
    /// letter, whole surrogate pairs, no punctuation, no spaces, no quotes.
    /// </summary>
    internal static void AssertSearchableToken(string token, string context)
    {
        Assert.False(string.IsNullOrEmpty(token), $"empty token from {Escape(context)}");
        var i = 0;
        while (i < token.Length)
        {
            var status = Rune.DecodeFromUtf16(token.AsSpan(i), out var rune, out var used);
            Assert.True(status == System.Buffers.OperationStatus.Done, $"half a surrogate pair in {Escape(token)} from {Escape(context)}");
            var category = Rune.GetUnicodeCategory(rune);
            var ok = category switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                    or UnicodeCategory.LetterNumber => true,
                UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => i > 0,
                UnicodeCategory.OtherNotAssigned => ChineseText.IsChinese(rune.Value),
                _ => false,
            };
            Assert.True(ok, $"{Escape(rune.ToString())} ({category}) in token {Escape(token)} from {Escape(context)}");
            i += used;
        }
    }

    internal static string Escape(string s) =>
        string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));

    private static readonly string[] Pieces =
    [
        "扶", "贫", "协", "作", "湘", "西", "济", "南", "十八洞", "村", "𠀀", "𠀁", "😀", "👍🏽", "々", "〇", "カ", "ひ", "한",
        "a", "B", "x", "Ｘ", "Ｉ", "１", "4", "é", "e\u0301", "ß", "İ", "ﬁ", "Ω",
        " ", "\u3000", "\t", "\n", "，", "。", "・", "･", "·", "\"", "“", "”", "-", "－", "*", ":", "(", ")", "^",
        "\uD840", "\uDC00", "\u0301", "\u200B", "\uFEFF",
    ];

    internal static string RandomText(Random random, int pieces)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    // Any BMP character, surrogates included.
                    sb.Append((char)random.Next(0x20, 0x10000));
                    break;
                case 1:
                    sb.Append(char.ConvertFromUtf32(random.Next(0x20000, 0x2A6E0)));
                    break;
                case 2:
                    sb.Append((char)random.Next(0xFF01, 0xFF5F));
                    break;
                default:
                    sb.Append(Pieces[random.Next(Pieces.Length)]);
                    break;
            }
        }
        return sb.ToString();
    }

    internal static IEnumerable<string> CorpusTexts(string file)
    {
        var content = File.ReadAllText(Path.Combine(RepositoryRoot(), "content", "articles", file));
        yield return content;
        foreach (var line in content.Split('\n'))
        {
            var text = line.Trim();
            var colon = text.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && text[..colon] is "title" or "subtitle" or "summary")
            {
                yield return text[(colon + 2)..];
            }
            else if (text.Length > 0 && text != "---")
            {
                foreach (var sentence in text.Split('。', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return sentence;
                }
            }
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PovertyNews.sln not found above the test binaries");
    }
}
