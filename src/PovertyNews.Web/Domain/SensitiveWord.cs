using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Domain;

/// <summary>What the newsroom does when an article contains a sensitive word (敏感词).</summary>
public enum SensitiveWordAction
{
    /// <summary>提示: the editor and the reviewers see a warning; nothing is stopped.</summary>
    Flag = 0,

    /// <summary>禁止: the article cannot be submitted, passed or released while it contains the word.</summary>
    Block = 1,

    /// <summary>替换: every save replaces the word with one full-width asterisk per character.</summary>
    Replace = 2,
}

/// <summary>One entry of the administrators' list of sensitive words.</summary>
public class SensitiveWord
{
    /// <summary>Longest word accepted, in UTF-16 characters: a word or a short phrase, not a sentence.</summary>
    public const int MaxLength = 50;

    /// <summary>The character a replace-word's characters become.</summary>
    public const char Mask = '＊';

    public int Id { get; set; }

    /// <summary>As the administrator typed it (trimmed); shown in lists and exports.</summary>
    public string Word { get; set; } = "";

    /// <summary>
    /// The form the matcher compares (<see cref="SensitiveText.Normalize"/>): full-width and half-width alike, lower
    /// case, spaces between Chinese characters dropped. Unique, so one word cannot be listed twice in two spellings.
    /// </summary>
    public string NormalizedWord { get; set; } = "";

    public SensitiveWordAction Action { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Display name of the administrator who added the word (or imported it).</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>Last change (creation or a new action); with the row count it tells other processes the list changed.</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Checks a word as typed or imported: the trimmed word and its normalised form, or a message in Chinese.
    /// Duplicates need the database and are checked by the caller.
    /// </summary>
    public static string? Check(string? raw, out string word, out string normalized)
    {
        word = (raw ?? "").Trim();
        normalized = "";
        if (word.Length == 0)
        {
            return "请填写敏感词。";
        }
        if (word.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'))
        {
            return "敏感词不能含有换行、制表符等控制字符。";
        }
        if (word.StartsWith('#') || word.StartsWith('＃'))
        {
            return "敏感词不能以“#”开头（导入文件中以 # 开头的行是注释），请去掉 #。";
        }
        if (word.Length > MaxLength)
        {
            return $"敏感词不能超过 {MaxLength} 个字符（现有 {word.Length} 个）。";
        }
        normalized = SensitiveText.Normalize(word);
        return normalized.Length == 0 ? "敏感词不能只由空格或不可见字符组成。" : null;
    }

    public static string ActionName(SensitiveWordAction action) => action switch
    {
        SensitiveWordAction.Flag => "提示",
        SensitiveWordAction.Block => "禁止",
        SensitiveWordAction.Replace => "替换",
        _ => action.ToString(),
    };

    /// <summary>The action's code in the import/export file: flag, block, replace.</summary>
    public static string ActionCode(SensitiveWordAction action) => action.ToString().ToLowerInvariant();

    /// <summary>Reads flag/block/replace (any case) or the Chinese names 提示/禁止/替换.</summary>
    public static SensitiveWordAction? ParseAction(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "flag" or "提示" => SensitiveWordAction.Flag,
        "block" or "禁止" => SensitiveWordAction.Block,
        "replace" or "替换" => SensitiveWordAction.Replace,
        _ => null,
    };
}
