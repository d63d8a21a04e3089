using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// The newsroom's access policy as other features need it. The media library asks which of the articles using an
/// image it may name to this person, by the same rule the article pages apply.
/// </summary>
public interface IArticlePermissions
{
    Task<bool> MayNameInMediaAsync(Actor actor, ArticleFacts article);
}
