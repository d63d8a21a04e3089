using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Feeds;

/// <summary>The "PovertyNews:Feeds" section: feed length and how the sitemap splits.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "PovertyNews:Feeds";

    [Range(1, 500)]
    public int FeedSize { get; set; } = 50;

    /// <summary>
    /// Up to this many published articles the sitemap is one list; above it, /sitemap.xml becomes an index of
    /// monthly sitemaps, so no single file nears the protocol's 50,000 URLs and crawlers refetch only changed months.
    /// </summary>
    [Range(1, 45_000)]
    public int SingleSitemapLimit { get; set; } = 10_000;

    /// <summary>URLs per monthly sitemap file; a month with more continues in further numbered parts.</summary>
    [Range(1, 50_000)]
    public int UrlsPerSitemap { get; set; } = 45_000;
}
