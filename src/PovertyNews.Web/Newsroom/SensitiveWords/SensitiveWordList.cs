using PovertyNews.Web.Domain;
using PovertyNews.Web.Text;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>One word of a compiled list.</summary>
public sealed record SensitiveWordEntry(int Id, string Word, string Normalized, SensitiveWordAction Action);

/// <summary>An occurrence of a word in a <see cref="TextProjection"/>: the projected characters [Start, End).</summary>
public readonly record struct WordMatch(SensitiveWordEntry Entry, int Start, int End);

/// <summary>
/// The administrators' list compiled for matching: immutable, shared by every request until the list changes
/// (<see cref="SensitiveWordCache"/>).
/// </summary>
public sealed class SensitiveWordList
{
    private readonly SensitiveWordEntry[] _entries;
    private readonly AhoCorasick _automaton;
    private readonly SensitiveText.WordClass[] _startClass;
    private readonly SensitiveText.WordClass[] _endClass;

    public static SensitiveWordList Empty { get; } = new([]);

    /// <summary>
    /// Compiles <paramref name="words"/>. Each word is normalised again here (not taken from the stored column), so
    /// a list saved under older rules still matches as the texts are projected now; should two words then coincide,
    /// the stronger action wins (禁止 over 替换 over 提示).
    /// </summary>
    public SensitiveWordList(IEnumerable<SensitiveWordEntry> words)
    {
        var byForm = new Dictionary<string, SensitiveWordEntry>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var normalized = SensitiveText.Normalize(word.Word);
            if (normalized.Length == 0)
            {
                continue;
            }
            var entry = word with { Normalized = normalized };
            if (!byForm.TryGetValue(normalized, out var existing) || Strength(entry.Action) > Strength(existing.Action))
            {
                byForm[normalized] = entry;
            }
        }
        _entries = [.. byForm.Values.OrderBy(e => e.Id)];
        _automaton = new AhoCorasick(_entries.Select(e => e.Normalized).ToArray());
        _startClass = _entries.Select(e => SensitiveText.Classify(e.Normalized[0])).ToArray();
        _endClass = _entries.Select(e => SensitiveText.Classify(e.Normalized[^1])).ToArray();
    }

    public int Count => _entries.Length;

    public IReadOnlyList<SensitiveWordEntry> Entries => _entries;

    /// <summary>Every occurrence of every word, overlapping ones included, ordered by start then by length (longest first).</summary>
    public List<WordMatch> Find(TextProjection projection)
    {
        var result = new List<WordMatch>();
        if (_entries.Length == 0 || projection.Text.Length == 0)
        {
            return result;
        }
        var raw = new List<AhoCorasick.Match>();
        _automaton.FindAll(projection.Text, raw);
        var text = projection.Text;
        foreach (var m in raw)
        {
            // An alphabetic word must not begin or end inside a word of the text ("art" in "party"), nor a number inside a number.
            if (_startClass[m.Pattern] != SensitiveText.WordClass.None && m.Start > 0
                && SensitiveText.Classify(text[m.Start - 1]) == _startClass[m.Pattern])
            {
                continue;
            }
            if (_endClass[m.Pattern] != SensitiveText.WordClass.None && m.End < text.Length
                && SensitiveText.Classify(text[m.End]) == _endClass[m.Pattern])
            {
                continue;
            }
            result.Add(new WordMatch(_entries[m.Pattern], m.Start, m.End));
        }
        result.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        return result;
    }

    private static int Strength(SensitiveWordAction action) => action switch
    {
        SensitiveWordAction.Block => 2,
        SensitiveWordAction.Replace => 1,
        _ => 0,
    };
}
