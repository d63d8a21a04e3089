using System.Globalization;
using System.Text;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.SensitiveWords;

/// <summary>
/// Characters that render nothing (issue 14): a block-word with one inside looks whole on the page, so the matcher
/// skips them, maps the match back over them, masks them with the word and names them in the report.
/// </summary>
public sealed class HiddenCharacterTests
{
    private static readonly MarkdownRenderer Markdown = new();

    private static SensitiveWordList List(params string[] words) =>
        new(words.Select((w, i) => new SensitiveWordEntry(i + 1, w, "", SensitiveWordAction.Block)));

    private static (string Source, int[] Hidden) FindOne(SensitiveWordList list, TextProjection projection)
    {
        var match = Assert.Single(list.Find(projection));
        var (start, end) = projection.SourceRange(match.Start, match.End);
        return (projection.Source[start..end], [.. projection.Hidden(match.Start, match.End).Select(h => h.CodePoint)]);
    }

    private static string Mask(SensitiveWordList list, TextProjection projection) =>
        projection.Mask(list.Find(projection).Select(m => (m.Start, m.End)), SensitiveWord.Mask);

    private static TextProjection ProjectMarkdown(string markdown) =>
        TextProjection.OfMarkdown(markdown, Markdown.ParseWithSourcePositions(markdown));

    private static SensitiveWordHit Hit(string text, string word)
    {
        var projection = TextProjection.OfPlainText(text);
        var match = Assert.Single(List(word).Find(projection));
        var (start, end) = projection.SourceRange(match.Start, match.End);
        return SensitiveWordReport.Hit("Body", "正文", true, match.Entry, text, SensitiveWordReport.LineStarts(text), start, end,
            projection.Hidden(match.Start, match.End).Select(h => h.CodePoint));
    }

    // ---------------------------------------------------------------- Each kind inside a block-word

    /// <summary>One row per kind the issue lists, between the first two characters of 违禁品.</summary>
    public static TheoryData<string, int> HiddenKinds => new()
    {
        { "\u200B", 0x200B },      // zero width space (Cf)
        { "\u200D", 0x200D },      // zero width joiner (Cf)
        { "\u2060", 0x2060 },      // word joiner (Cf)
        { "\u00AD", 0x00AD },      // soft hyphen (Cf)
        { "\uFE0F", 0xFE0F },      // variation selector-16 (Mn, Variation_Selector)
        { "\U000E0100", 0xE0100 }, // variation selector-17, supplement (Mn, Variation_Selector)
        { "\U000E0041", 0xE0041 }, // tag latin capital letter a (Cf)
        { "\u0301", 0x0301 },      // combining acute accent (Mn)
        { "\u20E3", 0x20E3 },      // combining enclosing keycap (Me)
        { "\u3164", 0x3164 },      // hangul filler (Lo, Other_Default_Ignorable)
        { "\u2800", 0x2800 },      // braille pattern blank (So, a blank filler)
        { "\u202E", 0x202E },      // right-to-left override (Cf, bidi control)
    };

    [Theory]
    [MemberData(nameof(HiddenKinds))]
    public void HiddenCharacterInsideABlockWord_IsSkipped_AndTheSpanCoversIt(string hidden, int codePoint)
    {
        var text = $"这是违{hidden}禁品。";

        var (source, named) = FindOne(List("违禁品"), TextProjection.OfPlainText(text));

        Assert.Equal($"违{hidden}禁品", source);
        Assert.Equal([codePoint], named);
    }

    [Theory]
    [MemberData(nameof(HiddenKinds))]
    public void HiddenCharacterInsideABlockWord_IsMaskedWithTheWord(string hidden, int codePoint)
    {
        Assert.True(InvisibleCharacters.IsIgnored(codePoint));
        Assert.Equal("这是＊＊＊。", Mask(List("违禁品"), TextProjection.OfPlainText($"这是违{hidden}禁品。")));
    }

    [Theory]
    [MemberData(nameof(HiddenKinds))]
    public void HiddenCharacterInsideAnAlphabeticWord_IsSkippedToo(string hidden, int codePoint)
    {
        var (source, named) = FindOne(List("vpn"), TextProjection.OfPlainText($"下载 v{hidden}pn 软件"));

        Assert.Equal($"v{hidden}pn", source);
        Assert.Equal([codePoint], named);
    }

    [Fact]
    public void SeveralHiddenCharacters_AreAllSkippedAndNamedInOrder()
    {
        var (source, named) = FindOne(List("违禁品"), TextProjection.OfPlainText("违\u200B\u200B禁\U000E0041\U000E007F品"));

        Assert.Equal("违\u200B\u200B禁\U000E0041\U000E007F品", source);
        Assert.Equal([0x200B, 0x200B, 0xE0041, 0xE007F], named);
    }

    [Fact]
    public void InMarkdown_HiddenCharactersInsideMarkupAndEntities_AreSkippedMappedAndMasked()
    {
        var projection = ProjectMarkdown("这是违**\u200B禁**品，又是违&#x200B;禁品。");

        var matches = List("违禁品").Find(projection);

        Assert.Equal(2, matches.Count);
        Assert.Equal(["违**\u200B禁**品", "违&#x200B;禁品"], matches.Select(m =>
        {
            var (start, end) = projection.SourceRange(m.Start, m.End);
            return projection.Source[start..end];
        }));
        Assert.All(matches, m => Assert.Equal([0x200B], projection.Hidden(m.Start, m.End).Select(h => h.CodePoint)));
        Assert.Equal("这是＊**＊**＊，又是＊＊＊。", Mask(List("违禁品"), projection));
    }

    // ---------------------------------------------------------------- Where a word starts and ends

    [Fact]
    public void MarkOrVariationSelectorOnTheLastCharacter_BelongsToTheWord()
    {
        var (source, named) = FindOne(List("违禁品"), TextProjection.OfPlainText("违禁品\uFE0F\u20E3之后"));

        Assert.Equal("违禁品\uFE0F\u20E3", source);
        Assert.Equal([0xFE0F, 0x20E3], named);
        Assert.Equal("＊＊＊之后", Mask(List("违禁品"), TextProjection.OfPlainText("违禁品\uFE0F\u20E3之后")));
    }

    [Theory]
    [InlineData("\u200B违禁品\u200B之后")]
    [InlineData("\u2060违禁品\u2800之后")]
    [InlineData("\u0301违禁品\u202E之后")]
    public void InvisibleCharactersAroundAWord_AreNotPartOfIt(string text)
    {
        var (source, named) = FindOne(List("违禁品"), TextProjection.OfPlainText(text));

        Assert.Equal("违禁品", source);
        Assert.Empty(named);
        Assert.Equal(text.Replace("违禁品", "＊＊＊"), Mask(List("违禁品"), TextProjection.OfPlainText(text)));
    }

    // ---------------------------------------------------------------- Accents (documented: folded away for matching)

    [Theory]
    [InlineData("cafe", "a cafe\u0301 here", "cafe\u0301")]
    [InlineData("cafe", "a café here", "café")]
    [InlineData("café", "a cafe\u0301 here", "cafe\u0301")]
    [InlineData("cafe\u0301", "a café here", "café")]
    [InlineData("café", "a CAFE here", "CAFE")]
    public void AccentedLetters_MatchTheirBaseLetters_PrecomposedOrCombining(string word, string text, string source) =>
        Assert.Equal(source, FindOne(List(word), TextProjection.OfPlainText(text)).Source);

    [Fact]
    public void AccentedWord_IsMaskedOnePerLetter_MarksIncluded() =>
        Assert.Equal("a ＊＊＊＊ here", Mask(List("cafe"), TextProjection.OfPlainText("a cafe\u0301 here")));

    // ---------------------------------------------------------------- Ordinary text is read as before

    [Theory]
    [InlineData("违禁品", "违禁品")]
    [InlineData("ＶＰＮ软件", "vpn软件")]
    [InlineData("Café", "cafe")]
    [InlineData("cafe\u0301", "cafe")]
    [InlineData("违\u200B禁\uFE0F品", "违禁品")]
    [InlineData("\uFE0F\u200B\u3164", "")]
    [InlineData("扶贫，协作！", "扶贫,协作!")]
    [InlineData("한국어 단어", "한국어 단어")]
    [InlineData("がっこう", "かっこう")]
    [InlineData("a≠b", "a≠b")]
    public void Normalize_DropsHiddenCharactersAndMarks_AndKeepsEverythingElse(string word, string expected) =>
        Assert.Equal(expected, SensitiveText.Normalize(word));

    [Theory]
    [InlineData("违，禁品")]
    [InlineData("违.禁品")]
    [InlineData("违-禁品")]
    [InlineData("违_禁品")]
    public void VisiblePunctuation_StillSeparates(string text) =>
        Assert.Empty(List("违禁品").Find(TextProjection.OfPlainText(text)));

    [Fact]
    public void WordFoundAsTyped_NamesNothing()
    {
        var hit = Hit("这是违禁品。", "违禁品");

        Assert.Null(hit.Hidden);
        Assert.Null(hit.HiddenNote);
        Assert.Equal("“违禁品”：正文第 1 行第 3 列（这是【违禁品】。）", hit.Describe());
    }

    // ---------------------------------------------------------------- The report names them

    [Theory]
    [InlineData("违\u200B禁品", "含不可见字符 U+200B（ZERO WIDTH SPACE）")]
    [InlineData("违\u202E禁品", "含不可见字符 U+202E（RIGHT-TO-LEFT OVERRIDE）")]
    [InlineData("违\uFE0F禁品", "含不可见字符 U+FE0F（VARIATION SELECTOR-16）")]
    [InlineData("违\U000E0100禁品", "含不可见字符 U+E0100（VARIATION SELECTOR-17）")]
    [InlineData("违\U000E0041禁品", "含不可见字符 U+E0041（格式字符）")]
    [InlineData("违\u3164禁品", "含不可见字符 U+3164（HANGUL FILLER）")]
    [InlineData("违\u2800禁品", "含不可见字符 U+2800（BRAILLE PATTERN BLANK）")]
    [InlineData("违\u0301禁品", "含附加符号 U+0301（COMBINING ACUTE ACCENT）")]
    [InlineData("违\u0352禁品", "含附加符号 U+0352（组合附加符号）")]
    [InlineData("违\u200B\u200B禁\u2060\u20E3品", "含不可见字符 U+200B（ZERO WIDTH SPACE）、U+2060（WORD JOINER），含附加符号 U+20E3（COMBINING ENCLOSING KEYCAP）")]
    public void Hit_NamesTheHiddenCharacters(string text, string note)
    {
        var hit = Hit(text, "违禁品");

        Assert.Equal(note, hit.HiddenNote);
        Assert.Equal($"“违禁品”：正文第 1 行第 1 列（【{text}】）；{note}", hit.Describe());
    }

    [Fact]
    public void BlockMessages_NameTheHiddenCharacter()
    {
        var report = new SensitiveWordReport([Hit("这是违\u200B禁品。", "违禁品")]);

        var lines = report.BlockMessages("送审");

        Assert.Equal("“违禁品”：正文第 1 行第 3 列（这是【违\u200B禁品】。）；含不可见字符 U+200B（ZERO WIDTH SPACE）", lines[1]);
    }

    // ---------------------------------------------------------------- The properties behind it

    [Theory]
    [InlineData(0x00AD, true)]   // Cf
    [InlineData(0x034F, true)]   // Mn, Other_Default_Ignorable
    [InlineData(0x115F, true)]   // Lo, Other_Default_Ignorable
    [InlineData(0x180B, true)]   // Mn, Variation_Selector
    [InlineData(0x200B, true)]
    [InlineData(0x2065, true)]   // reserved, Other_Default_Ignorable
    [InlineData(0xFEFF, true)]
    [InlineData(0xE0001, true)]
    [InlineData(0xE0FFF, true)]
    [InlineData(0x0600, false)]  // Cf, but Prepended_Concatenation_Mark: visible
    [InlineData(0xFFF9, false)]  // Cf, interlinear annotation
    [InlineData(0x0301, false)]  // a mark, but not default-ignorable
    [InlineData(0x2800, false)]  // blank, but a symbol to Unicode
    [InlineData(0x0020, false)]
    [InlineData(0x3000, false)]
    [InlineData(0x61, false)]    // a
    [InlineData(0x8FDD, false)]  // 违
    public void DefaultIgnorable_FollowsTheUnicodeDerivation(int codePoint, bool expected) =>
        Assert.Equal(expected, InvisibleCharacters.IsDefaultIgnorable(codePoint));

    [Fact]
    public void EveryFormatCharacterAndMark_IsIgnored_AndNoLetterDigitPunctuationOrSpaceIs()
    {
        var wrong = new List<string>();
        for (var c = 0; c <= 0x10FFFF; c++)
        {
            if (!Rune.IsValid(c))
            {
                continue;
            }
            var category = Rune.GetUnicodeCategory(new Rune(c));
            var ignored = InvisibleCharacters.IsIgnored(c);
            var mustBe = category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
            var mustNotBe = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.SpaceSeparator or UnicodeCategory.Control
                    or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol
                || (category == UnicodeCategory.OtherLetter && !InvisibleCharacters.IsBlankFiller(c));
            if ((mustBe && !ignored) || (mustNotBe && ignored))
            {
                wrong.Add($"U+{c:X4} {category}");
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void ChineseCharacters_HaveNoMarksToFold()
    {
        // The base-letter folding must leave every CJK ideograph (and kana without marks) alone.
        for (var c = 0x4E00; c <= 0x9FFF; c++)
        {
            Assert.Equal((char)c, InvisibleCharacters.BaseLetter((char)c));
        }
        Assert.Equal('か', InvisibleCharacters.BaseLetter('か'));
    }
}
