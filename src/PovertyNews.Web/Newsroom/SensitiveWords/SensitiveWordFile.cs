using System.Globalization;
using System.Text;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>
/// The word list as a UTF-8 text file: one word a line, optionally followed by a tab and its action
/// (<c>flag</c>, <c>block</c> or <c>replace</c>; the Chinese names are read too); a line without an action is
/// <c>flag</c>. Blank lines and lines starting with <c>#</c> are ignored, and a byte-order mark is tolerated.
/// </summary>
public static class SensitiveWordFile
{
    /// <summary>Largest file accepted: about 40,000 words of ordinary length.</summary>
    public const int MaxBytes = 1024 * 1024;

    public sealed record Line(int Number, string Word, string Normalized, SensitiveWordAction Action);

    public sealed record Rejected(int Number, string Text, string Reason);

    public sealed record Parsed(IReadOnlyList<Line> Lines, IReadOnlyList<Rejected> Rejected);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of a UTF-8 file (with or without a BOM), or null when the bytes are not UTF-8.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Reads every line; a word given twice is taken from its first line and the later ones rejected.</summary>
    public static Parsed Parse(string text)
    {
        var lines = new List<Line>();
        var rejected = new List<Rejected>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            var trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            var parts = raw.Split('\t');
            if (parts.Length > 2)
            {
                rejected.Add(new(number, raw, "一行只能有一个制表符，格式为“词语<TAB>处理方式”。"));
                continue;
            }
            var action = parts.Length == 1 || parts[1].Trim().Length == 0 ? SensitiveWordAction.Flag : SensitiveWord.ParseAction(parts[1]);
            if (action is null)
            {
                rejected.Add(new(number, raw, $"处理方式“{parts[1].Trim()}”无法识别，应为 flag、block 或 replace。"));
                continue;
            }
            if (SensitiveWord.Check(parts[0], out var word, out var normalized) is { } error)
            {
                rejected.Add(new(number, raw, error));
                continue;
            }
            if (seen.TryGetValue(normalized, out var first))
            {
                rejected.Add(new(number, raw, $"与第 {first} 行的词重复（不区分大小写和全角半角）。"));
                continue;
            }
            seen[normalized] = number;
            lines.Add(new(number, word, normalized, action.Value));
        }
        return new Parsed(lines, rejected);
    }

    /// <summary>The list as a file <see cref="Parse"/> reads back unchanged: a comment header, then word TAB action.</summary>
    public static string Write(IEnumerable<(string Word, SensitiveWordAction Action)> words, DateTime exportedAtUtc)
    {
        var list = words.ToList();
        var builder = new StringBuilder();
        builder.Append("# 敏感词表，导出于 ")
            .Append(ChinaTime.FromUtc(exportedAtUtc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Append("（北京时间），共 ").Append(list.Count).Append(" 个\n");
        builder.Append("# 每行一个：词语<TAB>处理方式（flag 提示、block 禁止、replace 替换；省略则为 flag）\n");
        foreach (var (word, action) in list)
        {
            builder.Append(word).Append('\t').Append(SensitiveWord.ActionCode(action)).Append('\n');
        }
        return builder.ToString();
    }
}
