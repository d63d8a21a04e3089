using System.Text;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>
/// One occurrence of a listed word in an article: where (field, line and column of the stored text, counted from 1)
/// and the text around it, with <see cref="Matched"/> exactly as it stands in the source (markup included).
/// <see cref="Hidden"/>: the code points the matcher skipped inside the occurrence (a zero-width space, a combining
/// mark…), in order of appearance; a word disguised that way looks whole on the page, so the report names them.
/// </summary>
public sealed record SensitiveWordHit(
    string Field, string FieldLabel, bool Multiline, string Word, SensitiveWordAction Action,
    int Line, int Column, string Before, string Matched, string After, IReadOnlyList<int>? Hidden = null)
{
    /// <summary>"正文第 3 行第 5 列" or, for a one-line field, "标题第 5 个字".</summary>
    public string Position => Multiline ? $"{FieldLabel}第 {Line} 行第 {Column} 列" : $"{FieldLabel}第 {Column} 个字";

    /// <summary>
    /// "含不可见字符 U+200B（ZERO WIDTH SPACE）" — and "含附加符号 U+0301（COMBINING ACUTE ACCENT）" for marks, which
    /// show on the letter before them — or null when the word was found as typed. The reporter cannot see these
    /// characters, so without this the refusal would point at a word that looks harmless or not there at all.
    /// </summary>
    public string? HiddenNote
    {
        get
        {
            if (Hidden is not { Count: > 0 } hidden)
            {
                return null;
            }
            var parts = new List<string>(2);
            var invisible = hidden.Where(c => InvisibleCharacters.Kind(c) != HiddenKind.Mark).ToList();
            var marks = hidden.Where(c => InvisibleCharacters.Kind(c) == HiddenKind.Mark).ToList();
            if (invisible.Count > 0)
            {
                parts.Add("含不可见字符 " + string.Join("、", invisible.Select(InvisibleCharacters.Describe)));
            }
            if (marks.Count > 0)
            {
                parts.Add("含附加符号 " + string.Join("、", marks.Select(InvisibleCharacters.Describe)));
            }
            return string.Join("，", parts);
        }
    }

    /// <summary>One line of plain text: the word, where it is and its context, and the hidden characters in it.</summary>
    public string Describe() =>
        $"“{Word}”：{Position}（{Before}【{Matched}】{After}）" + (HiddenNote is { } note ? $"；{note}" : "");
}

/// <summary>A word the save replaced, and how many times.</summary>
public sealed record ReplacedWord(string Word, int Count);

/// <summary>Every listed word found in an article, in field order and by position within each field.</summary>
public sealed class SensitiveWordReport(IReadOnlyList<SensitiveWordHit> hits, int omitted = 0)
{
    /// <summary>Most hits a report keeps; an article with thousands is summarised rather than listed.</summary>
    public const int MaxHits = 200;

    /// <summary>Characters of context shown on each side of a hit.</summary>
    public const int ContextLength = 16;

    public static SensitiveWordReport Empty { get; } = new([]);

    public IReadOnlyList<SensitiveWordHit> Hits { get; } = hits;

    /// <summary>Hits beyond <see cref="MaxHits"/> that were counted but not kept.</summary>
    public int Omitted { get; } = omitted;

    public bool IsEmpty => Hits.Count == 0;

    public IReadOnlyList<SensitiveWordHit> Blocked => [.. Hits.Where(h => h.Action == SensitiveWordAction.Block)];

    public IReadOnlyList<SensitiveWordHit> Flagged => [.. Hits.Where(h => h.Action == SensitiveWordAction.Flag)];

    /// <summary>Replace-words still in the stored text (added to the list after the last save); the next save replaces them.</summary>
    public IReadOnlyList<SensitiveWordHit> Pending => [.. Hits.Where(h => h.Action == SensitiveWordAction.Replace)];

    public bool IsBlocked => Hits.Any(h => h.Action == SensitiveWordAction.Block);

    /// <summary>The distinct blocked words, in order of first appearance.</summary>
    public IReadOnlyList<string> BlockedWords => [.. Blocked.Select(h => h.Word).Distinct(StringComparer.Ordinal)];

    /// <summary>The message a refused workflow step shows: one line per blocked occurrence (at most 20).</summary>
    public IReadOnlyList<string> BlockMessages(string stepName, string subject = "稿件")
    {
        const int shown = 20;
        var blocked = Blocked;
        var lines = new List<string>
        {
            $"{subject}含有禁止使用的敏感词（{string.Join("、", BlockedWords.Select(w => $"“{w}”"))}），不能{stepName}。请编辑{subject}删除或改写以下内容后再试：",
        };
        lines.AddRange(blocked.Take(shown).Select(h => h.Describe()));
        if (blocked.Count > shown)
        {
            lines.Add($"另有 {blocked.Count - shown} 处未列出。");
        }
        return lines;
    }

    /// <summary>"请核实用词：“甲”、“乙”。" for the flagged words, or null when none was flagged.</summary>
    public string? FlaggedMessage() =>
        Flagged.Count == 0 ? null : $"请核实用词：{string.Join("、", Flagged.Select(h => $"“{h.Word}”").Distinct(StringComparer.Ordinal))}。";

    public static string ActionHeading(SensitiveWordAction action) => action switch
    {
        SensitiveWordAction.Block => "禁止使用（删除前不能送审、通过或发布）",
        SensitiveWordAction.Replace => "将被替换（保存时替换为＊）",
        _ => "提示（请核实用词，不影响送审）",
    };

    /// <summary>The flash message after a save that replaced words, or null when it replaced none.</summary>
    public static string? ReplacedMessage(IReadOnlyList<ReplacedWord> replaced)
    {
        if (replaced.Count == 0)
        {
            return null;
        }
        var words = replaced.Select(r => r.Count > 1 ? $"“{r.Word}”（{r.Count} 处）" : $"“{r.Word}”");
        return $"已将敏感词替换为“{SensitiveWord.Mask}”：{string.Join("、", words)}。";
    }

    /// <summary>Where each line of <paramref name="source"/> starts, for <see cref="Hit"/>.</summary>
    public static int[] LineStarts(string source)
    {
        var starts = new List<int> { 0 };
        for (var i = source.IndexOf('\n'); i >= 0; i = source.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }
        return [.. starts];
    }

    /// <summary>"已保存" alone, or followed by what the save replaced.</summary>
    public static string WithReplaced(string saved, IReadOnlyList<ReplacedWord> replaced) =>
        ReplacedMessage(replaced) is { } message ? $"{saved}。{message}" : saved;

    /// <summary>
    /// Builds the hit for the source characters [start, end) of <paramref name="source"/>, with the code points the
    /// matcher skipped inside it (<see cref="TextProjection.Hidden"/>).
    /// </summary>
    public static SensitiveWordHit Hit(string field, string label, bool multiline, SensitiveWordEntry entry,
        string source, int[] lineStarts, int start, int end, IEnumerable<int>? hidden = null)
    {
        var index = Array.BinarySearch(lineStarts, start);
        var line = index >= 0 ? index : ~index - 1;
        var column = 1;
        for (var i = lineStarts[line]; i < start; i++)
        {
            if (!char.IsLowSurrogate(source[i]))
            {
                column++;
            }
        }
        var beforeStart = Math.Max(0, start - ContextLength);
        if (beforeStart > 0 && char.IsLowSurrogate(source[beforeStart]))
        {
            beforeStart--;
        }
        var afterEnd = Math.Min(source.Length, end + ContextLength);
        if (afterEnd < source.Length && char.IsLowSurrogate(source[afterEnd]))
        {
            afterEnd++;
        }
        var before = (beforeStart > 0 ? "…" : "") + OneLine(source[beforeStart..start]);
        var after = OneLine(source[end..afterEnd]) + (afterEnd < source.Length ? "…" : "");
        int[] skipped = hidden is null ? [] : [.. hidden.Distinct()];
        return new SensitiveWordHit(field, label, multiline, entry.Word, entry.Action, line + 1, column, before,
            OneLine(source[start..end]), after, skipped.Length > 0 ? skipped : null);
    }

    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }
        return builder.ToString();
    }
}
