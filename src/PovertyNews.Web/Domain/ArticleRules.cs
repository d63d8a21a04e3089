namespace PovertyNews.Web.Domain;

/// <summary>
/// The limits and the URL rule an article's fields obey, whoever writes them: the editor's form (ArticleInput) and
/// the importer both check against these, so a file cannot bring in what the form would refuse.
/// </summary>
public static class ArticleRules
{
    public const int MaxTitle = 200;
    public const int MaxSubtitle = 200;
    public const int MaxSummary = 1000;
    public const int MaxByline = 100; // 来源, 转自, 作者, 责任编辑, 微信公众号
    public const int MaxHotline = 50;
    public const int MaxUrl = 500;
    public const int MaxCoverAlt = 200;
    public const int MaxTags = 15;
    public const int MaxTagLength = 50;

    /// <summary>The characters the editor's tag field splits on: a tag name cannot hold one.</summary>
    public static readonly char[] TagSeparators = [',', '，', '、', ';', '；', '\n'];

    /// <summary>
    /// Why <paramref name="name"/> (trimmed) cannot be a tag, or null when it can: at most <see cref="MaxTagLength"/>
    /// characters, no "/" (it is one segment of /tags/{name}), none of <see cref="TagSeparators"/>. The editor's form,
    /// the bulk actions and tag administration all ask this.
    /// </summary>
    public static string? TagNameProblem(string name)
    {
        var shown = name.Length <= 20 ? name : name[..20] + "…";
        if (name.Length == 0)
        {
            return "标签不能为空。";
        }
        if (name.Length > MaxTagLength || name.Contains('/'))
        {
            return $"标签“{shown}”不能超过 {MaxTagLength} 个字，也不能含有“/”。";
        }
        return name.IndexOfAny(TagSeparators) >= 0 || name.Any(char.IsControl)
            ? $"标签“{shown}”不能含有逗号、顿号、分号或换行。"
            : null;
    }

    /// <summary>http(s) addresses and site-relative paths ("/images/…"); nothing that a browser could run or misread.</summary>
    public static bool IsSafeUrl(string url)
    {
        // "\" counts as "/" in a browser: "/\host" is another site.
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
        {
            return false;
        }
        if (url.StartsWith('/'))
        {
            return !url.StartsWith("//", StringComparison.Ordinal);
        }
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host);
    }
}
