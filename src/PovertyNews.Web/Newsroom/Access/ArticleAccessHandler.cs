using PovertyNews.Web.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>
/// The newsroom's access policy for articles: who may see, list, edit and take each workflow step, combining role,
/// ownership, the article's state (including the embargo of a scheduled article before its minute) and desk
/// coverage. Every page, list, search scope, export and the media library asks this (through
/// <see cref="IAuthorizationService"/> or <see cref="ArticleAccess"/>); the domain methods keep their role checks as
/// a second line.
/// </summary>
public sealed class ArticleAccessHandler(IDeskCoverage desks, TimeProvider time, IOptions<NewsroomOptions> options)
    : AuthorizationHandler<OperationAuthorizationRequirement, ArticleFacts>
{
    public const string DeskMessage = "这篇稿件所在的栏目不在您的责任栏目内。";
    public const string AdministratorMessage = "管理员可以查看所有稿件，但不能修改、审核或发布；这需要编辑或记者角色。";
    public const string ChannelDeskMessage = "所选栏目不在您的责任栏目内，请选择您负责的栏目。";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context,
        OperationAuthorizationRequirement requirement, ArticleFacts article)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var actor = context.User.ToActor();
        var coverage = await desks.ForAsync(actor.UserId);
        var now = time.GetUtcNow().UtcDateTime;
        if (Decide(actor, article, requirement, coverage, now, options.Value.ReviewLevels))
        {
            context.Succeed(requirement);
        }
        else if (!coverage.SiteWide && Decide(actor, article, requirement, Coverage.Everywhere, now, options.Value.ReviewLevels))
        {
            // Says why, so a refusal that is only about the desk reads as such (the pages show the reason).
            context.Fail(new AuthorizationFailureReason(this, DeskMessage));
        }
        else if (!actor.CanWrite && actor.IsIn(NewsRoles.Administrator))
        {
            context.Fail(new AuthorizationFailureReason(this, AdministratorMessage));
        }
    }

    /// <summary>The rules, as a pure function of who, what, where and when.</summary>
    public static bool Decide(Actor actor, ArticleFacts a, OperationAuthorizationRequirement operation, Coverage coverage,
        DateTime now, int levels)
    {
        var owner = a.OwnerId is not null && a.OwnerId == actor.UserId;
        var desk = coverage.Covers(a.ChannelId);
        var editor = actor.IsEditorial && desk;
        return operation.Name switch
        {
            // Administrators and editorial staff read every article (a desk limits what an editor does, not what they
            // read, so a refusal outside the desk is a 403 that says why); a published, due article is no secret to
            // any staff member; anything else (drafts, review, the embargo of a scheduled article) only to its owner.
            nameof(ArticleOperations.View) or nameof(ArticleOperations.ListInStaffSearch) or nameof(ArticleOperations.UseInMedia) =>
                actor.IsIn(NewsRoles.Administrator) || actor.IsEditorial || owner || a.IsPublicAt(now),
            // Like View, without "what readers see now": the figures are the newsroom's, not the readers'.
            nameof(ArticleOperations.ViewReads) => actor.IsIn(NewsRoles.Administrator) || actor.IsEditorial || owner,
            nameof(ArticleOperations.Edit) => MayEdit(actor, a, owner, desk, editor),
            nameof(ArticleOperations.Submit) => a.Status == ArticleStatus.Draft && MayEdit(actor, a, owner, desk, editor),
            nameof(ArticleOperations.Pass) => editor && a.Status is ArticleStatus.Submitted or ArticleStatus.InReview
                && ReviewLevels.CanPass(actor, a.ReviewLevel + 1, levels),
            nameof(ArticleOperations.SendBack) => editor && a.Status is ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved,
            nameof(ArticleOperations.Publish) => editor && (a.Status == ArticleStatus.Approved
                || a.Status == ArticleStatus.Scheduled && !a.IsPublicAt(now)),
            nameof(ArticleOperations.Correct) => editor && a.Status is ArticleStatus.Published or ArticleStatus.Scheduled,
            nameof(ArticleOperations.SetOffline) => editor && a.Status is ArticleStatus.Published or ArticleStatus.Scheduled,
            nameof(ArticleOperations.ReviewChange) => editor && a.Status is ArticleStatus.Approved or ArticleStatus.Published or ArticleStatus.Scheduled,
            nameof(ArticleOperations.Withdraw) => editor && a.Status is ArticleStatus.Published or ArticleStatus.Scheduled or ArticleStatus.Withdrawn,
            nameof(ArticleOperations.SharePreview) => a.Status is not (ArticleStatus.Withdrawn or ArticleStatus.Recycled)
                && (editor || (owner && actor.CanWrite && desk)),
            // The states come from the article (withdrawn counts only if readers never saw it, which the facts do not
            // tell): the policy says who, the domain method which reports.
            nameof(ArticleOperations.Recycle) => a.Status switch
            {
                ArticleStatus.Draft => MayEdit(actor, a, owner, desk, editor),
                ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved or ArticleStatus.Withdrawn => editor,
                _ => false,
            },
            nameof(ArticleOperations.Restore) => a.Status == ArticleStatus.Recycled && (editor || (actor.IsIn(NewsRoles.Reporter) && owner && desk)),
            nameof(ArticleOperations.Purge) => a.Status == ArticleStatus.Recycled
                && (actor.IsIn(NewsRoles.Administrator) || (actor.IsIn(NewsRoles.EditorInChief) && desk)),
            _ => false,
        };
    }

    /// <summary>A reporter writes their own drafts in their channels; editors anything not yet withdrawn in theirs.</summary>
    private static bool MayEdit(Actor actor, ArticleFacts a, bool owner, bool desk, bool editor) => a.Status switch
    {
        ArticleStatus.Draft => editor || (actor.IsIn(NewsRoles.Reporter) && owner && desk),
        ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved or ArticleStatus.Published or ArticleStatus.Scheduled => editor,
        _ => false,
    };

    /// <summary>Writing into a channel: any writing role, in a channel on the person's desk.</summary>
    public static bool MayWriteIn(Actor actor, int channelId, Coverage coverage) => actor.CanWrite && coverage.Covers(channelId);
}

/// <summary>Who may write a new article, or move one, into a channel (the resource: its id as <see cref="ChannelRef"/>).</summary>
public sealed class ChannelWriteHandler(IDeskCoverage desks) : AuthorizationHandler<WriteInChannelRequirement, ChannelRef>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, WriteInChannelRequirement requirement, ChannelRef channel)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var actor = context.User.ToActor();
        if (ArticleAccessHandler.MayWriteIn(actor, channel.Id, await desks.ForAsync(actor.UserId)))
        {
            context.Succeed(requirement);
        }
        else if (actor.CanWrite)
        {
            context.Fail(new AuthorizationFailureReason(this, ArticleAccessHandler.ChannelDeskMessage));
        }
    }
}

public sealed record ChannelRef(int Id);
