using System.Linq.Expressions;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// What the access rules read of an article (Newsroom/Access decides; other features ask through
/// <see cref="IArticlePermissions"/>). A record of its own so that list pages, which project rows, can ask
/// about a row without loading the entity.
/// </summary>
public sealed record ArticleFacts(int Id, string? OwnerId, int ChannelId, ArticleStatus Status, int ReviewLevel, DateTime? PublishedAt,
    DateTime? OfflineAt = null)
{
    public static ArticleFacts Of(Article a) => new(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt);

    /// <summary><see cref="Of"/> for a query's <c>Select</c>: the facts without loading the article.</summary>
    public static readonly Expression<Func<Article, ArticleFacts>> Projection =
        a => new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt);

    /// <summary>Readers can see it now: published, or scheduled and due (the embargo is over).</summary>
    public bool IsPublicAt(DateTime now) => Article.IsVisible(Status, PublishedAt, OfflineAt, now);
}
