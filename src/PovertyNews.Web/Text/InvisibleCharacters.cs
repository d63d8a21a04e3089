using System.Globalization;
using System.Text;

namespace PovertyNews.Web.Text;

/// <summary>What an ignored character is, for the message that names it.</summary>
public enum HiddenKind : byte
{
    /// <summary>A character the matcher reads.</summary>
    None,

    /// <summary>Renders nothing at all: a default-ignorable code point or a blank filler.</summary>
    Invisible,

    /// <summary>A combining mark: draws on the character before it and is no character of its own.</summary>
    Mark,
}

/// <summary>
/// The code points that render nothing between two characters, so a sensitive word with one inside looks the same as
/// the word: the matcher skips them (<see cref="TextProjection"/>). Decided by Unicode properties, not by a list of
/// characters someone thought of, so a new trick from the same families is caught too:
/// <list type="bullet">
/// <item><c>Default_Ignorable_Code_Point</c> (<see cref="IsDefaultIgnorable"/>): zero-width space and joiners, soft
/// hyphen, word joiner, bidi controls, variation selectors, tag characters, the Hangul fillers and more.</item>
/// <item>General categories Cf (format), Mn (non-spacing marks) and Me (enclosing marks), read from .NET's own
/// Unicode tables (<see cref="Rune.GetUnicodeCategory"/>), so they follow the runtime's Unicode version.</item>
/// <item>A few fillers Unicode files as letters or symbols although they print as blank space
/// (<see cref="IsBlankFiller"/>).</item>
/// </list>
/// Ignoring marks folds accents away for matching: "cafe" is found in "café" whether the é is one code point or e
/// followed by U+0301 (precomposed letters are taken apart the same way by <see cref="BaseLetter"/>). That costs a
/// few extra hits on words that differ only by their accents (and in scripts whose vowels are marks, such as Thai or
/// Devanagari, and kana with a voicing mark: が is read as か) and is the price of not letting a mark hide a word; the
/// check reports, it never rewrites anything but replace-words.
/// </summary>
public static class InvisibleCharacters
{
    /// <summary>Whether the matcher skips <paramref name="codePoint"/>.</summary>
    public static bool IsIgnored(int codePoint) => Kind(codePoint) != HiddenKind.None;

    public static HiddenKind Kind(int codePoint)
    {
        if (codePoint < 0xAD)
        {
            return HiddenKind.None; // ASCII and Latin-1 up to the soft hyphen: the common case, answered at once
        }
        // Default_Ignorable is these two properties plus Cf (below), so the category is looked up once per character.
        if (IsOtherDefaultIgnorable(codePoint) || IsVariationSelector(codePoint) || IsBlankFiller(codePoint))
        {
            return HiddenKind.Invisible;
        }
        return Category(codePoint) switch
        {
            // All of Cf, including the few Default_Ignorable leaves out as visible (see IsDefaultIgnorable): they are
            // format characters, never part of a word, so skipping them too costs no match.
            UnicodeCategory.Format => HiddenKind.Invisible,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark => HiddenKind.Mark,
            _ => HiddenKind.None,
        };
    }

    /// <summary>
    /// Unicode's <c>Default_Ignorable_Code_Point</c>, which .NET does not expose. DerivedCoreProperties.txt derives it
    /// as <c>Other_Default_Ignorable_Code_Point + Cf (Format characters) + Variation_Selector − White_Space −
    /// FFF9..FFFB (interlinear annotation format characters) − 13430..1343F (Egyptian hieroglyph format characters) −
    /// Prepended_Concatenation_Mark (exceptional format characters that should be visible)</c>; UAX #44 and the
    /// Unicode Standard §5.21 explain it: characters a renderer without support for them should show as nothing.
    /// This is that formula, with the two small listed properties written out from PropList.txt (Unicode 16) and Cf
    /// taken from the runtime.
    /// </summary>
    public static bool IsDefaultIgnorable(int codePoint)
    {
        if (IsOtherDefaultIgnorable(codePoint) || IsVariationSelector(codePoint))
        {
            return true;
        }
        return Category(codePoint) == UnicodeCategory.Format
            && !IsWhiteSpace(codePoint)
            && codePoint is not (>= 0xFFF9 and <= 0xFFFB) and not (>= 0x13430 and <= 0x1343F)
            && !IsPrependedConcatenationMark(codePoint);
    }

    /// <summary>
    /// Fillers Unicode files as letters (Lo) or a symbol (So) that print as an empty cell: Hangul fillers are padding
    /// in old Korean encodings, U+2800 is the braille cell with no dots. All but U+2800 are also
    /// Other_Default_Ignorable; U+2800 is not, and is the usual "invisible" character once zero-width ones are
    /// filtered, which is why these are named here.
    /// </summary>
    public static bool IsBlankFiller(int codePoint) =>
        codePoint is 0x115F  // HANGUL CHOSEONG FILLER
            or 0x1160        // HANGUL JUNGSEONG FILLER
            or 0x3164        // HANGUL FILLER
            or 0xFFA0        // HALFWIDTH HANGUL FILLER
            or 0x2800;       // BRAILLE PATTERN BLANK

    /// <summary>Other_Default_Ignorable_Code_Point, PropList.txt (Unicode 16): mostly reserved ranges kept invisible for the future.</summary>
    private static bool IsOtherDefaultIgnorable(int c) =>
        c is 0x034F                         // COMBINING GRAPHEME JOINER
            or 0x115F or 0x1160             // HANGUL CHOSEONG / JUNGSEONG FILLER
            or 0x17B4 or 0x17B5             // KHMER VOWEL INHERENT AQ / AA
            or 0x2065                       // reserved
            or 0x3164                       // HANGUL FILLER
            or 0xFFA0                       // HALFWIDTH HANGUL FILLER
            or (>= 0xFFF0 and <= 0xFFF8)    // reserved
            or 0xE0000                      // reserved
            or (>= 0xE0002 and <= 0xE001F)  // reserved
            or (>= 0xE0080 and <= 0xE00FF)  // reserved
            or (>= 0xE01F0 and <= 0xE0FFF); // reserved

    /// <summary>Variation_Selector, PropList.txt (Unicode 16).</summary>
    private static bool IsVariationSelector(int c) =>
        c is (>= 0x180B and <= 0x180D) or 0x180F   // MONGOLIAN FREE VARIATION SELECTOR ONE..FOUR
            or (>= 0xFE00 and <= 0xFE0F)           // VARIATION SELECTOR-1..16
            or (>= 0xE0100 and <= 0xE01EF);        // VARIATION SELECTOR-17..256

    /// <summary>Prepended_Concatenation_Mark, PropList.txt (Unicode 16): format characters that span the digits after them, visibly.</summary>
    private static bool IsPrependedConcatenationMark(int c) =>
        c is (>= 0x0600 and <= 0x0605) or 0x06DD or 0x070F or 0x0890 or 0x0891 or 0x08E2 or 0x110BD or 0x110CD;

    private static bool IsWhiteSpace(int c) => Rune.IsValid(c) && Rune.IsWhiteSpace(new Rune(c));

    private static UnicodeCategory Category(int c) =>
        Rune.IsValid(c) ? Rune.GetUnicodeCategory(new Rune(c)) : UnicodeCategory.OtherNotAssigned;

    /// <summary>
    /// Whether <paramref name="codePoint"/> joins the character before it into one user-perceived character (the
    /// extended grapheme cluster of UAX #29, as <see cref="StringInfo"/> computes it): marks, variation selectors,
    /// tag characters, the zero-width joiners. Such a character is part of the character it follows — replaced with
    /// it, counted in its span — while a zero-width space or a word joiner stands alone between two characters.
    /// </summary>
    public static bool ExtendsCharacter(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            return false;
        }
        Span<char> pair = stackalloc char[3];
        pair[0] = 'a';
        var length = 1 + new Rune(codePoint).EncodeToUtf16(pair[1..]);
        return StringInfo.GetNextTextElementLength(pair[..length]) == length;
    }

    private static readonly char[] BaseLetters = BuildBaseLetters();

    /// <summary>
    /// A precomposed letter with marks (é, Ü, が) as its base letter (e, u, か), so a word matches the same whether
    /// its marks were typed precomposed or as combining characters, which the matcher skips. Other characters, Hangul
    /// syllables included (their parts are letters, not marks), are returned as they are.
    /// </summary>
    public static char BaseLetter(char c) => BaseLetters[c];

    private static char[] BuildBaseLetters()
    {
        var map = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            map[i] = c;
            if (i < 0xC0 || char.IsSurrogate(c))
            {
                continue; // nothing below À decomposes into a letter and marks
            }
            string decomposed;
            try
            {
                decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            }
            catch (ArgumentException)
            {
                continue; // unassigned code points cannot be normalised
            }
            // Letters only: ≠ is = with a combining slash, and reading it as = would turn its meaning around.
            if (decomposed.Length > 1 && char.IsLetter(decomposed[0])
                && decomposed.AsSpan(1).EnumerateRunes().All(r => Kind(r.Value) == HiddenKind.Mark))
            {
                map[i] = decomposed[0];
            }
        }
        return map;
    }

    private static bool All(this SpanRuneEnumerator runes, Func<Rune, bool> predicate)
    {
        foreach (var rune in runes)
        {
            if (!predicate(rune))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// "U+200B（ZERO WIDTH SPACE）" for the characters named here, "U+E0041（格式字符）" with the kind of character for
    /// the rest: .NET has no API for Unicode names, and a table of all of them would dwarf the code that uses it.
    /// </summary>
    public static string Describe(int codePoint) =>
        $"U+{codePoint:X4}（{Name(codePoint) ?? CategoryName(codePoint)}）";

    /// <summary>The Unicode name of the characters people use to hide text, or null for the rest.</summary>
    public static string? Name(int codePoint) => codePoint switch
    {
        >= 0xFE00 and <= 0xFE0F => $"VARIATION SELECTOR-{codePoint - 0xFE00 + 1}",
        >= 0xE0100 and <= 0xE01EF => $"VARIATION SELECTOR-{codePoint - 0xE0100 + 17}",
        0x180B => "MONGOLIAN FREE VARIATION SELECTOR ONE",
        0x180C => "MONGOLIAN FREE VARIATION SELECTOR TWO",
        0x180D => "MONGOLIAN FREE VARIATION SELECTOR THREE",
        _ => Names.GetValueOrDefault(codePoint),
    };

    private static readonly Dictionary<int, string> Names = new()
    {
        [0x00AD] = "SOFT HYPHEN",
        [0x034F] = "COMBINING GRAPHEME JOINER",
        [0x061C] = "ARABIC LETTER MARK",
        [0x115F] = "HANGUL CHOSEONG FILLER",
        [0x1160] = "HANGUL JUNGSEONG FILLER",
        [0x17B4] = "KHMER VOWEL INHERENT AQ",
        [0x17B5] = "KHMER VOWEL INHERENT AA",
        [0x180E] = "MONGOLIAN VOWEL SEPARATOR",
        [0x180F] = "MONGOLIAN FREE VARIATION SELECTOR FOUR",
        [0x200B] = "ZERO WIDTH SPACE",
        [0x200C] = "ZERO WIDTH NON-JOINER",
        [0x200D] = "ZERO WIDTH JOINER",
        [0x200E] = "LEFT-TO-RIGHT MARK",
        [0x200F] = "RIGHT-TO-LEFT MARK",
        [0x202A] = "LEFT-TO-RIGHT EMBEDDING",
        [0x202B] = "RIGHT-TO-LEFT EMBEDDING",
        [0x202C] = "POP DIRECTIONAL FORMATTING",
        [0x202D] = "LEFT-TO-RIGHT OVERRIDE",
        [0x202E] = "RIGHT-TO-LEFT OVERRIDE",
        [0x2060] = "WORD JOINER",
        [0x2061] = "FUNCTION APPLICATION",
        [0x2062] = "INVISIBLE TIMES",
        [0x2063] = "INVISIBLE SEPARATOR",
        [0x2064] = "INVISIBLE PLUS",
        [0x2066] = "LEFT-TO-RIGHT ISOLATE",
        [0x2067] = "RIGHT-TO-LEFT ISOLATE",
        [0x2068] = "FIRST STRONG ISOLATE",
        [0x2069] = "POP DIRECTIONAL ISOLATE",
        [0x2800] = "BRAILLE PATTERN BLANK",
        [0x3164] = "HANGUL FILLER",
        [0xFEFF] = "ZERO WIDTH NO-BREAK SPACE",
        [0xFFA0] = "HALFWIDTH HANGUL FILLER",
        [0x0300] = "COMBINING GRAVE ACCENT",
        [0x0301] = "COMBINING ACUTE ACCENT",
        [0x0302] = "COMBINING CIRCUMFLEX ACCENT",
        [0x0303] = "COMBINING TILDE",
        [0x0308] = "COMBINING DIAERESIS",
        [0x20DD] = "COMBINING ENCLOSING CIRCLE",
        [0x20E3] = "COMBINING ENCLOSING KEYCAP",
        [0xE0001] = "LANGUAGE TAG",
        [0xE007F] = "CANCEL TAG",
    };

    /// <summary>The kind of an unnamed ignored character, in Chinese, for <see cref="Describe"/>.</summary>
    private static string CategoryName(int codePoint) => Category(codePoint) switch
    {
        UnicodeCategory.Format => "格式字符",
        UnicodeCategory.NonSpacingMark => "组合附加符号",
        UnicodeCategory.EnclosingMark => "组合围绕符号",
        UnicodeCategory.OtherNotAssigned => "未分配的不可见码位",
        UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter => "空白填充字母",
        UnicodeCategory.OtherSymbol => "空白符号",
        _ => "不可见字符",
    };
}
