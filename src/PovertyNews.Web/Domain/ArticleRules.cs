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
