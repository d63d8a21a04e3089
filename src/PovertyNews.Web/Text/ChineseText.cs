using System.Globalization;
using System.Text;

namespace PovertyNews.Web.Text;

/// <summary>
/// The analyzer behind search, in the manner of Lucene's CJK analyzer. Text is folded (full-width to half-width,
/// compatibility forms to their plain letters, lower case, traditional Chinese characters to simplified) one
/// character for one character, so positions in folded
/// text are positions in the original and highlights land on the right characters. Folded text is cut into runs:
/// Chinese runs (with Japanese, Korean and digits), and runs of other letters. A Chinese run becomes one token per
/// character — the bigram starting there, or the character alone at the end of the run — so every Chinese string of
/// two or more characters is a phrase of consecutive bigrams, and a single character is a prefix of its token.
/// Digits go with the Chinese because Chinese writes numbers inside sentences (年收入达14668元) and readers look
/// for parts of them (14668, 2020年); Latin words stay whole words, as readers of Latin expect.
/// </summary>
public static class ChineseText
{
    /// <summary>
    /// What the analyzer's tokens depend on, stored by each search index with the index it built: an index built by
    /// another version is rebuilt (see <c>SearchIndexCheck</c>). 1: width, compatibility and case folding; 2: also
    /// traditional to simplified characters. Raise it with every change to <see cref="Fold(char)"/> or the tokens.
    /// </summary>
    public const int AnalyzerVersion = 2;

    private static readonly char[] WidthAndCaseMap = BuildWidthAndCaseMap();

    private static readonly char[] FoldMap = BuildFoldMap();

    /// <summary>
    /// Traditional to simplified, one character for one (OpenCC's TSCharacters, first candidate; see
    /// tools/opencc/generate.mjs). One for one keeps folded text as long as the original, and a character with
    /// several simplified forms in context (乾 as 干 or 乾) folds the same way in the index and in the query, so
    /// it still finds itself.
    /// </summary>
    private static char[] BuildFoldMap()
    {
        var map = (char[])WidthAndCaseMap.Clone();
        var simplified = TraditionalToSimplified();
        for (var i = 0; i < map.Length; i++)
        {
            if (simplified.TryGetValue(map[i], out var to))
            {
                map[i] = to;
            }
        }
        return map;
    }

    internal static Dictionary<char, char> TraditionalToSimplified()
    {
        using var stream = typeof(ChineseText).Assembly.GetManifestResourceStream("PovertyNews.Web.Text.TraditionalToSimplified.txt")
            ?? throw new InvalidOperationException("TraditionalToSimplified.txt is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var pairs = new Dictionary<char, char>(4096);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 2 && line[0] != '#')
            {
                pairs[line[0]] = line[1];
            }
        }
        return pairs;
    }

    private static char[] BuildWidthAndCaseMap()
    {
        var map = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var folded = c;
            if (!char.IsSurrogate(c))
            {
                try
                {
                    var normal = c.ToString().Normalize(NormalizationForm.FormKC);
                    if (normal.Length == 1)
                    {
                        folded = normal[0];
                    }
                }
                catch (ArgumentException)
                {
                    // Unassigned code points cannot be normalised; they stay as they are.
                }
            }
            map[i] = char.ToLowerInvariant(folded);
        }
        return map;
    }

    public static char Fold(char c) => FoldMap[c];

    /// <summary>
    /// <see cref="Fold(char)"/> without the traditional-to-simplified step, for the sensitive-word check: a listed
    /// word is a precise string, and 后 (after, but also empress) must not be matched by every 後.
    /// </summary>
    public static char FoldWidthAndCase(char c) => WidthAndCaseMap[c];

    /// <summary>Same length as <paramref name="text"/>; position i of the result folds position i of the input.</summary>
    public static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = FoldMap[source[i]];
        }
    });

    public enum RunKind
    {
        /// <summary>Cut into bigrams: Chinese, Japanese and Korean characters, and digits.</summary>
        Chinese,

        /// <summary>Kept whole: letters of alphabetic scripts.</summary>
        Word,
    }

    public readonly record struct Run(RunKind Kind, int Start, int Length);

    /// <summary>Runs of searchable characters in already folded text; everything else separates them.</summary>
    public static List<Run> Runs(string folded)
    {
        var runs = new List<Run>();
        var i = 0;
        while (i < folded.Length)
        {
            var kind = Classify(folded, i, out var width);
            if (kind is null)
            {
                i += width;
                continue;
            }
            var start = i;
            i += width;
            while (i < folded.Length)
            {
                var next = Classify(folded, i, out var w);
                // Combining marks belong to the word they follow.
                if (next != kind && !(kind == RunKind.Word && IsMark(folded, i)))
                {
                    break;
                }
                i += w;
            }
            runs.Add(new Run(kind.Value, start, i - start));
        }
        return runs;
    }

    /// <summary>Appends the index tokens of <paramref name="text"/> (raw, unfolded), separated by spaces.</summary>
    public static void AppendIndexTokens(StringBuilder into, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        var folded = Fold(text);
        foreach (var run in Runs(folded))
        {
            if (run.Kind == RunKind.Word)
            {
                into.Append(folded, run.Start, run.Length).Append(' ');
                continue;
            }
            var end = run.Start + run.Length;
            var i = run.Start;
            while (i < end)
            {
                var first = RuneWidth(folded, i);
                var second = i + first < end ? RuneWidth(folded, i + first) : 0;
                into.Append(folded, i, first + second).Append(' ');
                i += first;
            }
        }
    }

    public static string IndexTokens(string? text)
    {
        var sb = new StringBuilder();
        AppendIndexTokens(sb, text);
        return sb.ToString();
    }

    /// <summary>
    /// A token as the index keeps it: FTS5's unicode61 tokenizer (remove_diacritics 2) drops accents from Latin
    /// letters on both sides of a match; PostgreSQL's lexemes and the ranking's counts do the same, so "café" and
    /// "cafe" find and count each other on both databases. Chinese tokens pass unchanged.
    /// </summary>
    public static string Lexeme(string token)
    {
        if (token.All(c => c < 0x80 || ChineseText.IsChinese(c) || char.IsSurrogate(c)))
        {
            return token;
        }
        var decomposed = token.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            // FTS5 folds Latin letters with accents to the plain letter; other scripts keep their marks.
            var mark = CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark;
            if (!(mark && kept.Length > 0 && char.IsAsciiLetter(kept[^1])))
            {
                kept.Append(c);
            }
        }
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// How many index tokens <paramref name="folded"/> makes (<see cref="AppendIndexTokens"/>): one per word, one per
    /// character of a Chinese run. Counted without cutting the text into runs or tokens; the common characters
    /// (ASCII, the main CJK block) are classified directly, the rest by the same rules as <see cref="Runs"/>.
    /// </summary>
    public static int TokenCount(string folded)
    {
        var count = 0;
        var inWord = false;
        for (var i = 0; i < folded.Length;)
        {
            var c = folded[i];
            RunKind? kind;
            var width = 1;
            if (c < 0x80)
            {
                kind = char.IsAsciiLetter(c) ? RunKind.Word : char.IsAsciiDigit(c) ? RunKind.Chinese : null;
            }
            else if (c is >= '\u4E00' and <= '\u9FFF')
            {
                kind = RunKind.Chinese;
            }
            else
            {
                kind = Classify(folded, i, out width);
            }
            if (kind == RunKind.Word)
            {
                count += inWord ? 0 : 1;
                inWord = true;
            }
            else if (kind == RunKind.Chinese)
            {
                count++;
                inWord = false;
            }
            else if (!(inWord && IsMark(folded, i)))
            {
                inWord = false;
            }
            i += width;
        }
        return count;
    }

    /// <summary>
    /// The tokens a phrase of folded text must show consecutively. A Chinese run inside the phrase keeps its
    /// closing single character (the text has a run boundary there too); the phrase's last Chinese run needs only
    /// its bigrams, and if it is one character long it is a prefix, matching that character's bigram or itself.
    /// </summary>
    public static SearchTerm? Term(string folded)
    {
        var runs = Runs(folded);
        if (runs.Count == 0)
        {
            return null;
        }
        var tokens = new List<string>();
        var lastIsPrefix = false;
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var isLast = r == runs.Count - 1;
            if (run.Kind == RunKind.Word)
            {
                tokens.Add(folded.Substring(run.Start, run.Length));
                continue;
            }
            var end = run.Start + run.Length;
            var i = run.Start;
            while (i < end)
            {
                var first = RuneWidth(folded, i);
                if (i + first < end)
                {
                    tokens.Add(folded.Substring(i, first + RuneWidth(folded, i + first)));
                }
                else if (!isLast || i == run.Start)
                {
                    tokens.Add(folded.Substring(i, first));
                    lastIsPrefix = isLast;
                }
                i += first;
            }
        }
        var text = string.Join(" ", runs.Select(run => folded.Substring(run.Start, run.Length)));
        return new SearchTerm(text, tokens, lastIsPrefix);
    }

    private static RunKind? Classify(string s, int i, out int width)
    {
        width = RuneWidth(s, i);
        if (!System.Text.Rune.TryGetRuneAt(s, i, out var rune))
        {
            return null;
        }
        if (IsChinese(rune.Value) || System.Text.Rune.IsDigit(rune))
        {
            return RunKind.Chinese;
        }
        return System.Text.Rune.IsLetter(rune) ? RunKind.Word : null;
    }

    private static bool IsMark(string s, int i) =>
        System.Text.Rune.TryGetRuneAt(s, i, out var rune)
        && System.Text.Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    private static int RuneWidth(string s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;

    /// <summary>
    /// Han ideographs (with 々 and 〇), kana and hangul: scripts written without spaces between words. The kana
    /// blocks' punctuation and sound marks (・ ゠ ゛ ゜ and their combining forms) are not letters: they separate runs
    /// like any other punctuation, and FTS5's tokenizer would drop them from a token anyway.
    /// </summary>
    public static bool IsChinese(int c) =>
        c is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x20000 and <= 0x323AF
            or 0x3005 or 0x3007
            or >= 0x3040 and <= 0x30FF and not (>= 0x3099 and <= 0x309C or 0x30A0 or 0x30FB)
            or >= 0xAC00 and <= 0xD7AF;
}
