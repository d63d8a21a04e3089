using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace PovertyNews.Web.Domain;

/// <summary>
/// What a channel slug may be. Slugs are URLs (<c>/channels/{slug}</c>) that readers, feed readers and search engines
/// keep, so they are plain lower-case ASCII words joined by single hyphens, and never a word the site's routes use.
/// </summary>
public static partial class ChannelSlug
{
    public const int MinLength = 2;
    public const int MaxLength = 50;

    /// <summary>Words taken by routes next to or below <c>/channels/</c>, or easily mistaken for them.</summary>
    public static readonly FrozenSet<string> Reserved = new[]
    {
        "admin", "api", "feed", "feed.xml", "rss", "atom", "sitemap", "sitemap.xml", "robots", "robots.txt",
        "search", "archive", "articles", "article", "channels", "channel", "tags", "tag", "topics", "topic", "videos", "video",
        "new", "edit", "delete", "page", "index", "healthz", "error", "static", "css", "js", "images", "uploads",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Why <paramref name="slug"/> cannot be a channel slug, in words for the form; null when it can.</summary>
    public static string? Problem(string? slug)
    {
        if (string.IsNullOrEmpty(slug))
        {
            return "请填写网址别名。";
        }
        if (slug.Length < MinLength || slug.Length > MaxLength)
        {
            return $"网址别名应为 {MinLength}–{MaxLength} 个字符。";
        }
        if (Reserved.Contains(slug))
        {
            return $"“{slug}”是网站保留的词，不能用作网址别名。";
        }
        if (!Pattern().IsMatch(slug))
        {
            // Only say "lower-case" when that is the whole fix; otherwise name every rule at once.
            return Pattern().IsMatch(slug.ToLowerInvariant())
                ? "网址别名只能使用小写字母，请把大写字母改成小写。"
                : "网址别名只能使用小写英文字母、数字和连字符（-），连字符不能在开头、结尾或连续出现，如 chanye 或 east-west-2020。";
        }
        return null;
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*\z")]
    private static partial Regex Pattern();
}
