using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// A published 专题 as lists show it (/topics, the front page's 专题 block, the sitemaps): part of the portal
/// snapshot, since topics are few and every one of those lists is cached.
/// </summary>
public sealed record TopicCard(
    int Id,
    string Slug,
    string Title,
    string Summary,
    string? BannerImageUrl,
    string? BannerImageAlt,
    bool ShowOnFrontPage,
    int Position,
    DateTime PublishedAt,
    DateTime UpdatedAt)
{
    public const int SummaryLength = 90;

    public string Url => PublicUrls.Topic(Slug);

    public string PublishedDate => Domain.ChinaTime.FormatDate(PublishedAt);

    /// <summary>The order of /topics and the front page: the editors' position, smaller first; ties newest first.</summary>
    public static IEnumerable<TopicCard> Ordered(IEnumerable<TopicCard> cards) =>
        cards.OrderBy(t => t.Position).ThenByDescending(t => t.PublishedAt).ThenByDescending(t => t.Id);

    /// <summary>A card's line of text: the introduction without markup, cut at <see cref="SummaryLength"/> characters.</summary>
    public static string Excerpt(string plainText) =>
        plainText.Length <= SummaryLength ? plainText : plainText[..SummaryLength].TrimEnd() + "…";
}
