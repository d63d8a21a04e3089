using PovertyNews.Web.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>
/// Which articles a list may show someone, in query form: everything, or what readers see now plus the person's own
/// articles. It is derived from the same rule as <see cref="ArticleOperations.View"/>, so a listed article's review
/// page always opens. Reports in the recycle bin (删除) are left out of every list but the bin's own
/// (<see cref="ApplyToRecycleBin"/>).
/// </summary>
public sealed record ArticleScope(bool All, string OwnerId)
{
    public IQueryable<Article> Apply(IQueryable<Article> articles, DateTime now) =>
        ApplyView(articles.Where(a => a.Status != ArticleStatus.Recycled), now);

    /// <summary>The recycle bin as this person may list it: everything in it, or their own reports.</summary>
    public IQueryable<Article> ApplyToRecycleBin(IQueryable<Article> articles)
    {
        var owner = OwnerId;
        var recycled = articles.Where(a => a.Status == ArticleStatus.Recycled);
        return All ? recycled : recycled.Where(a => a.OwnerId == owner);
    }

    private IQueryable<Article> ApplyView(IQueryable<Article> articles, DateTime now)
    {
        if (All)
        {
            return articles;
        }
        var owner = OwnerId;
        // The same rule as Includes: public now (ArticleFacts.IsPublicAt), or one's own.
        return articles.Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt != null && a.PublishedAt <= now
            && (a.OfflineAt == null || a.OfflineAt > now)
            || a.OwnerId == owner);
    }

    public bool Includes(ArticleFacts a, DateTime now) =>
        a.Status != ArticleStatus.Recycled && (All || a.IsPublicAt(now) || (a.OwnerId is not null && a.OwnerId == OwnerId));
}

/// <summary>
/// The services' and pages' way to ask the access policy with an <see cref="Actor"/> in hand: the questions go to
/// <see cref="IAuthorizationService"/> and so to <see cref="ArticleAccessHandler"/>; the list scope comes from the
/// same coverage.
/// </summary>
public sealed class ArticleAccess(IAuthorizationService authorization, IDeskCoverage desks, TimeProvider time) : IArticlePermissions
{
    public Task<bool> MayNameInMediaAsync(Actor actor, ArticleFacts article) => MayAsync(actor, article, ArticleOperations.UseInMedia);

    public async Task<AuthorizationResult> AuthorizeAsync(Actor actor, ArticleFacts article, OperationAuthorizationRequirement operation) =>
        await authorization.AuthorizeAsync(PrincipalOf(actor), article, operation);

    public async Task<bool> MayAsync(Actor actor, ArticleFacts article, OperationAuthorizationRequirement operation) =>
        (await AuthorizeAsync(actor, article, operation)).Succeeded;

    public Task<bool> MayAsync(Actor actor, Article article, OperationAuthorizationRequirement operation) =>
        MayAsync(actor, ArticleFacts.Of(article), operation);

    /// <summary>Writing into <paramref name="channelId"/>: null when allowed, else the reason.</summary>
    public async Task<string?> RefusalToWriteInAsync(Actor actor, int channelId)
    {
        var result = await authorization.AuthorizeAsync(PrincipalOf(actor), new ChannelRef(channelId), WriteInChannelRequirement.Instance);
        return result.Succeeded ? null : ReasonOf(result) ?? "您不能在这个栏目写稿。";
    }

    /// <summary>The channels this person may write in; null for every channel.</summary>
    public async Task<IReadOnlySet<int>?> WritableChannelsAsync(Actor actor)
    {
        var coverage = await desks.ForAsync(actor.UserId);
        return coverage.SiteWide ? null : coverage.Channels;
    }

    /// <summary>Desks do not narrow it: editorial staff read every article and act only in their channels.</summary>
    public Task<ArticleScope> ScopeAsync(Actor actor) =>
        Task.FromResult(new ArticleScope(actor.IsIn(NewsRoles.Administrator) || actor.IsEditorial, actor.UserId));

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The first reason a handler gave for a refusal, for the message a page shows.</summary>
    public static string? ReasonOf(AuthorizationResult result) =>
        result.Failure?.FailureReasons.Select(r => r.Message).FirstOrDefault(m => !string.IsNullOrEmpty(m));

    /// <summary>Services hold an <see cref="Actor"/>; the authorization service wants a principal with the same claims.</summary>
    public static ClaimsPrincipal PrincipalOf(Actor actor)
    {
        var identity = new ClaimsIdentity("Newsroom", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
        identity.AddClaim(new Claim(NewsClaimsFactory.DisplayNameClaim, actor.Name));
        foreach (var role in actor.Roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }
        return new ClaimsPrincipal(identity);
    }
}
