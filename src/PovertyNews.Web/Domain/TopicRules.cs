using System.Text.RegularExpressions;

namespace PovertyNews.Web.Domain;

/// <summary>
/// What a 专题 may hold, for the newsroom's form and the content import alike: its slug is an address
/// (<c>/topics/{slug}</c>) readers and feed readers keep, so it follows the channels' rules; lengths follow the schema.
/// </summary>
public static partial class TopicRules
{
    public const int MinSlugLength = 2;

    /// <summary>Sections per topic and hand-picked reports per section: a topic page is a page, not an archive.</summary>
    public const int MaxSections = 12;
    public const int MaxPicked = 30;
    public const int MaxTimelineEntries = 60;
    public static readonly (int Min, int Max) MaxItemsRange = (1, 30);

    /// <summary>Why <paramref name="slug"/> cannot be a topic's address, in words for the form; null when it can.</summary>
    public static string? SlugProblem(string? slug)
    {
        if (string.IsNullOrEmpty(slug))
        {
            return "请填写网址别名。";
        }
        if (slug.Length < MinSlugLength || slug.Length > Topic.MaxSlugLength)
        {
            return $"网址别名应为 {MinSlugLength}–{Topic.MaxSlugLength} 个字符。";
        }
        if (ChannelSlug.Reserved.Contains(slug))
        {
            return $"“{slug}”是网站保留的词，不能用作网址别名。";
        }
        if (!SlugPattern().IsMatch(slug))
        {
            return SlugPattern().IsMatch(slug.ToLowerInvariant())
                ? "网址别名只能使用小写字母，请把大写字母改成小写。"
                : "网址别名只能使用小写英文字母、数字和连字符（-），连字符不能在开头、结尾或连续出现，如 dongxibu-xiezuo。";
        }
        return null;
    }

    public static string? TitleProblem(string? title) => title switch
    {
        null or "" => "请填写专题标题。",
        { Length: > Topic.MaxTitleLength } => $"专题标题不能超过 {Topic.MaxTitleLength} 个字符。",
        _ => null,
    };

    public static string? SectionTitleProblem(string? title) => title switch
    {
        null or "" => "请填写栏目标题。",
        { Length: > TopicSection.MaxTitleLength } => $"栏目标题不能超过 {TopicSection.MaxTitleLength} 个字符。",
        _ => null,
    };

    public static string? TimelineTextProblem(string? text) => text switch
    {
        null or "" => "请填写这一条大事记的内容。",
        { Length: > TopicTimelineEntry.MaxTextLength } => $"大事记每条不能超过 {TopicTimelineEntry.MaxTextLength} 个字符。",
        _ => null,
    };

    /// <summary>The banner: a safe address and, with it, words for readers who do not see it.</summary>
    public static IEnumerable<(string Field, string Message)> BannerProblems(string? url, string? alt)
    {
        if (url is null)
        {
            if (alt is not null && alt.Length > MediaItem.MaxAltTextLength)
            {
                yield return ("BannerImageAlt", $"题图说明不能超过 {MediaItem.MaxAltTextLength} 个字符。");
            }
            yield break;
        }
        if (url.Length > 500 || !ArticleRules.IsSafeUrl(url))
        {
            yield return ("BannerImageUrl", "题图地址应为 http(s) 网址或以 / 开头的本站地址（最多 500 个字符）。");
        }
        if (alt is null)
        {
            yield return ("BannerImageAlt", "有题图时请填写题图说明（替代文字），供看不到图片的读者使用。");
        }
        else if (alt.Length > MediaItem.MaxAltTextLength)
        {
            yield return ("BannerImageAlt", $"题图说明不能超过 {MediaItem.MaxAltTextLength} 个字符。");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*\z")]
    private static partial Regex SlugPattern();
}
