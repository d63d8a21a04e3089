using System.Linq.Expressions;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>What a list, block or sidebar shows of an article.</summary>
public sealed record ArticleCard(
    int Id,
    string Slug,
    string Title,
    string Summary,
    DateTime PublishedAt,
    int ChannelId,
    string ChannelName,
    string ChannelSlug,
    ArticleKind Kind,
    string? ImageUrl,
    string? ImageAlt) : IPublished
{
    public string Url => PublicUrls.Article(Id, Slug);

    public string PublishedDate => ChinaTime.FormatDate(PublishedAt);

    public string PublishedIso => ChinaTime.FormatIso(PublishedAt);

    public static readonly Expression<Func<Article, ArticleCard>> Projection = a => new ArticleCard(
        a.Id,
        a.Slug,
        a.Title,
        a.Summary,
        a.PublishedAt ?? a.CreatedAt,
        a.ChannelId,
        a.Channel!.Name,
        a.Channel.Slug,
        a.Kind,
        a.Kind == ArticleKind.Video ? a.VideoPosterUrl ?? a.CoverImageUrl : a.CoverImageUrl,
        a.CoverImageAlt ?? a.Title);
}
