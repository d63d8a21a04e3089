using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Text;

/// <summary>
/// The text the sensitive-word matcher reads: what a reader sees of a field, folded, with every character mapped back
/// to where it came from in the source (the field as stored, Markdown included), so a match can be reported by line
/// and column and replaced without touching the markup around it.
/// </summary>
/// <remarks>
/// Words and texts go through the same rules, so they always compare alike:
/// <list type="bullet">
/// <item>Every character is folded one for one (<see cref="ChineseText.FoldWidthAndCase(char)"/>: full-width to half-width, lower case;
/// not traditional to simplified as search does, so a listed word stays the precise string it is).</item>
/// <item>Characters that render nothing between two others (<see cref="InvisibleCharacters"/>: zero-width space and
/// joiners, soft hyphen, word joiner, bidi controls, variation selectors, tag characters, combining marks, blank
/// fillers) are skipped, so they cannot split a word; each is kept in <see cref="Hidden"/> so a report can name it,
/// and one that joins the character before it (a mark, a variation selector) counts as part of that character. A
/// precomposed letter with marks reads as its base letter (<see cref="InvisibleCharacters.BaseLetter"/>).</item>
/// <item>Whitespace between two Chinese or Japanese characters is dropped (a line break inside a paragraph, or
/// spaces typed between the characters of a word, do not hide it); any other run of whitespace is one space.</item>
/// <item>Markdown markup is not text: emphasis, link targets, backticks and escapes disappear, and the text of
/// different blocks (paragraphs, headings, table cells) is kept apart by a line break no word can contain.</item>
/// </list>
/// </remarks>
public sealed class TextProjection
{
    /// <summary>Separates blocks in <see cref="Text"/>; words never contain control characters, so nothing matches across it.</summary>
    public const char BlockBreak = '\n';

    private readonly int[] _start;
    private readonly int[] _length;
    private readonly HiddenCharacter[] _hidden;
    private readonly int[] _hiddenBefore; // projected character i → how many hidden characters came before it

    internal TextProjection(string source, string text, int[] start, int[] length, HiddenCharacter[] hidden, int[] hiddenBefore)
    {
        Source = source;
        Text = text;
        _start = start;
        _length = length;
        _hidden = hidden;
        _hiddenBefore = hiddenBefore;
    }

    /// <summary>The field as stored.</summary>
    public string Source { get; }

    /// <summary>The folded, projected text the matcher reads.</summary>
    public string Text { get; }

    /// <summary>Where the projected characters [from, to) lie in <see cref="Source"/>: start and end (exclusive).</summary>
    public (int Start, int End) SourceRange(int from, int to)
    {
        var start = _start[from];
        var end = start;
        for (var i = to - 1; i >= from; i--)
        {
            if (_length[i] > 0)
            {
                end = _start[i] + _length[i];
                break;
            }
        }
        return (start, Math.Max(start, end));
    }

    /// <summary>
    /// The skipped characters that lie within the projected characters [from, to): between the first and the last
    /// (whatever markup or spaces are around them), and those that belong to the last one (a mark on it). A match
    /// with any of them was found only because they were skipped; the report names them.
    /// </summary>
    public IReadOnlyList<HiddenCharacter> Hidden(int from, int to)
    {
        if (to <= from)
        {
            return [];
        }
        var result = new List<HiddenCharacter>();
        for (var h = _hiddenBefore[from]; h < _hiddenBefore[to]; h++)
        {
            if (h < _hiddenBefore[to - 1] || _hidden[h].Joined)
            {
                result.Add(_hidden[h]);
            }
        }
        return result;
    }

    /// <summary>
    /// The source ranges that make up the projected characters [from, to), one per visible character (a surrogate
    /// pair, an HTML entity, or a letter with the marks and variation selectors on it is one range), leaving out
    /// whitespace, markup and standalone invisible characters between them.
    /// </summary>
    public IEnumerable<(int Start, int Length)> SourceCharacters(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_length[i] > 0 && !char.IsWhiteSpace(Text[i]))
            {
                yield return (_start[i], _length[i]);
            }
        }
    }

    /// <summary>
    /// The source with the characters of the projected ranges replaced by <paramref name="mask"/>, one per visible
    /// character (a mark or variation selector on it goes with it), and the invisible characters hidden inside the
    /// ranges removed, so nothing of the word is left; markup, whitespace and everything outside the ranges stay as
    /// they are.
    /// </summary>
    public string Mask(IEnumerable<(int From, int To)> ranges, char mask)
    {
        // source start → length of one character to replace, and whether it becomes a mask or nothing
        var edits = new SortedDictionary<int, (int Length, bool Mask)>();
        foreach (var (from, to) in ranges)
        {
            foreach (var (start, length) in SourceCharacters(from, to))
            {
                edits[start] = (Math.Max(length, edits.GetValueOrDefault(start).Length), true);
            }
            foreach (var hidden in Hidden(from, to))
            {
                if (hidden.Length > 0 && !hidden.Joined)
                {
                    edits.TryAdd(hidden.Start, (hidden.Length, false));
                }
            }
        }
        if (edits.Count == 0)
        {
            return Source;
        }
        var builder = new System.Text.StringBuilder(Source.Length);
        var at = 0;
        foreach (var (start, (length, replace)) in edits)
        {
            if (start < at)
            {
                continue; // inside a range already replaced (an entity that two words share)
            }
            builder.Append(Source, at, start - at);
            if (replace)
            {
                builder.Append(mask);
            }
            at = start + length;
        }
        return builder.Append(Source, at, Source.Length - at).ToString();
    }

    /// <summary>A plain-text field: the source itself, under the folding and whitespace rules.</summary>
    public static TextProjection OfPlainText(string source)
    {
        var builder = new Builder(source);
        builder.AddSourceRange(0, source.Length);
        return builder.Build();
    }

    /// <summary>
    /// A Markdown field, from the syntax tree Markdig built of <paramref name="source"/> with precise source
    /// locations: the literal text of every block and inline, mapped back to the source.
    /// </summary>
    public static TextProjection OfMarkdown(string source, MarkdownDocument document)
    {
        var builder = new Builder(source);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case CodeBlock code:
                    builder.AddBlockBreak();
                    AddLines(builder, code);
                    break;
                case LeafBlock:
                    builder.AddBlockBreak();
                    break;
                case LiteralInline literal:
                    builder.AddAligned(literal.Content.AsSpan(), literal.Span);
                    break;
                case CodeInline code:
                    builder.AddAligned(code.Content.AsSpan(), code.Span);
                    break;
                case AutolinkInline autolink:
                    builder.AddAligned(autolink.Url.AsSpan(), autolink.Span);
                    break;
                case HtmlEntityInline entity:
                    builder.AddReplacement(entity.Transcoded.AsSpan(), entity.Span);
                    break;
                case Markdig.Extensions.Abbreviations.AbbreviationInline abbreviation:
                    builder.AddAligned(abbreviation.Abbreviation.Label.AsSpan(), abbreviation.Span);
                    break;
                case LineBreakInline lineBreak:
                    builder.AddSpace(lineBreak.Span.Start);
                    break;
            }
        }
        return builder.Build();
    }

    private static void AddLines(Builder builder, LeafBlock block)
    {
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var slice = lines.Lines[i].Slice;
            if (i > 0)
            {
                builder.AddSpace(slice.Start);
            }
            if (ReferenceEquals(slice.Text, builder.Source))
            {
                builder.AddSourceRange(slice.Start, slice.Length);
            }
            else
            {
                builder.AddAligned(slice.AsSpan(), new SourceSpan(slice.Start, slice.End));
            }
        }
    }

    /// <summary>Collects (character, source start, source length) units, then applies the folding and whitespace rules.</summary>
    internal sealed class Builder(string source)
    {
        private enum Kind : byte { Char, Space, Break }

        private readonly List<(char C, int Start, int Length, Kind Kind)> _units = new(source.Length);

        public string Source { get; } = source;

        public void AddBlockBreak() => _units.Add(('\n', 0, 0, Kind.Break));

        public void AddSpace(int at) => _units.Add((' ', Math.Clamp(at, 0, Source.Length), 0, Kind.Space));

        public void AddSourceRange(int start, int length)
        {
            for (var i = start; i < start + length; i++)
            {
                var c = Source[i];
                // A surrogate pair is one character to replace: the high half carries both units, the low half none.
                var width = char.IsHighSurrogate(c) && i + 1 < Source.Length && char.IsLowSurrogate(Source[i + 1]) ? 2
                    : char.IsLowSurrogate(c) && i > start && char.IsHighSurrogate(Source[i - 1]) ? 0 : 1;
                _units.Add((c, i, width, char.IsWhiteSpace(c) ? Kind.Space : Kind.Char));
            }
        }

        /// <summary>
        /// Text that Markdig took from <paramref name="span"/> with markup removed (escapes, backticks, angle brackets,
        /// the padding of table cells, a line ending in inline code turned into a space). Each character is matched to
        /// its first occurrence in what is left of the span, which is exact whenever the text is the span minus some
        /// characters; anything that cannot be aligned is kept for matching but mapped to no source character.
        /// </summary>
        public void AddAligned(ReadOnlySpan<char> content, SourceSpan span)
        {
            var end = Math.Min(span.End + 1, Source.Length);
            var at = Math.Max(span.Start, 0);
            var aligned = true;
            var text = Source.AsSpan();
            for (var k = 0; k < content.Length; k++)
            {
                var c = content[k];
                var found = -1;
                if (aligned)
                {
                    for (var j = at; j < end; j++)
                    {
                        if (text[j] == c || (char.IsWhiteSpace(c) && char.IsWhiteSpace(text[j])))
                        {
                            found = j;
                            break;
                        }
                    }
                    aligned = found >= 0;
                }
                if (!aligned)
                {
                    _units.Add((c, Math.Min(at, Source.Length), 0, char.IsWhiteSpace(c) ? Kind.Space : Kind.Char));
                    continue;
                }
                var skippedFrom = at;
                at = found + 1;
                if (found > skippedFrom && text[found - 1] == '\\' && char.IsAscii(c) && (char.IsPunctuation(c) || char.IsSymbol(c)))
                {
                    _units.Add((c, found - 1, 2, Kind.Char)); // an escaped character is replaced with its backslash
                    continue;
                }
                var width = char.IsHighSurrogate(c) && k + 1 < content.Length && char.IsLowSurrogate(content[k + 1])
                    && found + 1 < end && text[found + 1] == content[k + 1] ? 2
                    : char.IsLowSurrogate(c) && k > 0 && char.IsHighSurrogate(content[k - 1]) ? 0 : 1;
                _units.Add((c, found, width, char.IsWhiteSpace(c) ? Kind.Space : Kind.Char));
            }
        }

        /// <summary>Text that stands for the whole of <paramref name="span"/> (an HTML entity): replacing it replaces the span.</summary>
        public void AddReplacement(ReadOnlySpan<char> content, SourceSpan span)
        {
            for (var k = 0; k < content.Length; k++)
            {
                var c = content[k];
                _units.Add((c, span.Start, k == 0 ? span.Length : 0, char.IsWhiteSpace(c) ? Kind.Space : Kind.Char));
            }
        }

        public TextProjection Build()
        {
            var text = new char[_units.Count];
            var start = new int[_units.Count];
            var length = new int[_units.Count];
            var hiddenBefore = new int[_units.Count + 1];
            var hidden = new List<HiddenCharacter>();
            var n = 0;
            var pendingBreak = false;
            var pendingSpace = -1; // index into _units of the first whitespace of a run
            var previous = 0;      // code point of the last character written, 0 at the start and after a break
            for (var i = 0; i < _units.Count; i++)
            {
                var (c, from, width, kind) = _units[i];
                if (kind == Kind.Break)
                {
                    pendingBreak = n > 0;
                    pendingSpace = -1;
                    continue;
                }
                if (kind == Kind.Space)
                {
                    if (n > 0 && !pendingBreak && pendingSpace < 0)
                    {
                        pendingSpace = i;
                    }
                    continue;
                }
                var codePoint = CodePointAt(i);
                if (InvisibleCharacters.IsIgnored(codePoint))
                {
                    if (char.IsLowSurrogate(c) && codePoint != c)
                    {
                        continue; // the high half stands for the pair
                    }
                    // One that joins the character just written, straight after it in the source, becomes part of
                    // it: reported and replaced with it. Others are only remembered, for the report and the mask.
                    var joined = n > 0 && !pendingBreak && pendingSpace < 0 && width > 0 && length[n - 1] > 0
                        && start[n - 1] + length[n - 1] == from && InvisibleCharacters.ExtendsCharacter(codePoint);
                    if (joined)
                    {
                        length[n - 1] += width;
                    }
                    hidden.Add(new HiddenCharacter(codePoint, from, width, joined));
                    continue;
                }
                if (pendingBreak)
                {
                    hiddenBefore[n] = hidden.Count;
                    (text[n], start[n], length[n]) = (BlockBreak, from, 0);
                    n++;
                }
                else if (pendingSpace >= 0 && !(IsUnspaced(previous) && IsUnspaced(codePoint)))
                {
                    hiddenBefore[n] = hidden.Count;
                    (text[n], start[n], length[n]) = (' ', _units[pendingSpace].Start, 0);
                    n++;
                }
                pendingBreak = false;
                pendingSpace = -1;
                hiddenBefore[n] = hidden.Count;
                (text[n], start[n], length[n]) = (InvisibleCharacters.BaseLetter(ChineseText.FoldWidthAndCase(c)), from, width);
                n++;
                if (!char.IsLowSurrogate(c) || codePoint == c)
                {
                    previous = codePoint;
                }
            }
            hiddenBefore[n] = hidden.Count;
            return new TextProjection(Source, new string(text, 0, n), start[..n], length[..n], [.. hidden], hiddenBefore[..(n + 1)]);
        }

        private int CodePointAt(int i)
        {
            var c = _units[i].C;
            if (char.IsHighSurrogate(c) && i + 1 < _units.Count && char.IsLowSurrogate(_units[i + 1].C))
            {
                return char.ConvertToUtf32(c, _units[i + 1].C);
            }
            if (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(_units[i - 1].C))
            {
                return char.ConvertToUtf32(_units[i - 1].C, c);
            }
            return c;
        }
    }

    /// <summary>Scripts written without spaces between words: Chinese characters and kana (not hangul, which uses spaces).</summary>
    internal static bool IsUnspaced(int codePoint) =>
        ChineseText.IsChinese(codePoint) && codePoint is not (>= 0xAC00 and <= 0xD7AF);
}

/// <summary>
/// A character the projection skipped (<see cref="InvisibleCharacters"/>): its code point and where it is in the
/// source (length 0 when it has no place of its own there). <see cref="Joined"/>: it is part of the character before
/// it (a mark, a variation selector), whose source range includes it.
/// </summary>
public readonly record struct HiddenCharacter(int CodePoint, int Start, int Length, bool Joined);

public static class SensitiveText
{
    /// <summary>A word as the matcher compares it; empty when nothing visible is left.</summary>
    public static string Normalize(string word) => TextProjection.OfPlainText(word).Text.Trim();

    /// <summary>What a word's first or last character asks of its neighbour in the text.</summary>
    public enum WordClass : byte
    {
        /// <summary>Chinese and everything else: found anywhere, as Chinese has no spaces between words.</summary>
        None,

        /// <summary>A letter of an alphabetic script: the neighbour must not be one ("art" is not in "party").</summary>
        Letter,

        /// <summary>A digit: the neighbour must not be one ("110" is not in "1101").</summary>
        Digit,
    }

    /// <summary>
    /// The same runs as search's analyzer (<see cref="ChineseText.Runs"/>): Latin words whole, numbers whole, Chinese
    /// anywhere; a letter next to a digit is a boundary, so "xiangxi" is found in "Xiangxi2020".
    /// </summary>
    public static WordClass Classify(char c) =>
        char.IsDigit(c) ? WordClass.Digit
        : char.IsLetter(c) && !ChineseText.IsChinese(c) && !char.IsSurrogate(c) ? WordClass.Letter
        : WordClass.None;
}
