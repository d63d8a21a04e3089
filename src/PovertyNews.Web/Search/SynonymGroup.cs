using System.Globalization;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search;

/// <summary>The rules of a synonym group as administrators type it: what a group may hold and how it is stored.</summary>
public static class SynonymGroup
{
    public const int MinWords = 2, MaxWords = 20, MaxWordLength = 20;

    /// <summary>What may separate words in the form: spaces (any width), commas, enumeration commas and semicolons.</summary>
    private static readonly char[] Separators = [' ', '\u3000', '\t', ',', '，', '、', ';', '；'];

    /// <summary>The words of a stored group (<see cref="Domain.SearchSynonym.Words"/>, single spaces).</summary>
    public static IEnumerable<string> Words(string? stored) =>
        (stored ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Reads a typed group into its words, or says in Chinese what is wrong with it. A word must be one run the
    /// analyzer keeps whole (Chinese characters and digits, or one Latin word): a query is cut at punctuation and at
    /// changes of script, so a word with either inside could never equal a query term.
    /// </summary>
    public static string? Check(string? typed, out IReadOnlyList<string> words)
    {
        words = [];
        if (typed is not null && typed.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
        {
            return "同义词组含有控制字符，请重新输入。";
        }
        var list = Words(typed?.Replace('\r', ' ').Replace('\n', ' ')).ToList();
        if (list.Count < MinWords)
        {
            return $"一组同义词至少要有 {MinWords} 个词，词与词之间用空格分隔。";
        }
        if (list.Count > MaxWords)
        {
            return $"一组同义词最多 {MaxWords} 个词，现在有 {list.Count} 个。";
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in list)
        {
            var length = new StringInfo(word).LengthInTextElements;
            if (length > MaxWordLength)
            {
                return $"“{word}”有 {length} 个字，每个词最多 {MaxWordLength} 个字。";
            }
            var folded = ChineseText.Fold(word);
            var runs = ChineseText.Runs(folded);
            if (runs.Count != 1 || runs[0].Length != folded.Length)
            {
                return runs.Count == 0
                    ? $"“{word}”里没有可以检索的文字或数字。"
                    : $"“{word}”含有标点或同时含有汉字和字母，检索时会被拆成几个词；请只用汉字和数字，或一个外文单词。";
            }
            if (seen.TryGetValue(folded, out var same))
            {
                return same == word ? $"“{word}”在这组里出现了两次。" : $"“{word}”与“{same}”检索时是同一个词（不区分简繁、大小写和全角半角），只保留一个即可。";
            }
            seen[folded] = word;
        }
        words = list;
        return null;
    }

    /// <summary>The stored form: the words as typed, single spaces between them.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words);

    /// <summary>The key a word is compared by, across groups and in queries.</summary>
    public static string Key(string word) => ChineseText.Fold(word);
}
