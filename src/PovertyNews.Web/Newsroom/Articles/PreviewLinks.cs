using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>Makes and revokes 预览链接 (<see cref="PreviewLink"/>); who may is the access policy's <see cref="ArticleOperations.SharePreview"/>.</summary>
public sealed class PreviewLinks(NewsDbContext db, ArticleAccess access, AuditLog audit, TimeProvider time, ILogger<PreviewLinks> logger)
{
    /// <summary>The lifetimes offered, in days; the first is the default.</summary>
    public static readonly IReadOnlyList<int> LifetimeDays = [3, 1, 7, 30];

    public const string FirstVersionNote = "生成预览链接时记录的当前内容";

    public const string LifetimeMessage = "请选择预览链接的有效期：1 天、3 天、7 天或 30 天。";

    public async Task<Result<PreviewLink>> CreateAsync(int articleId, int revisionNumber, int days, Actor actor, CancellationToken ct)
    {
        if (await FactsAsync(articleId, ct) is not { } facts)
        {
            return Result.NotFound().As<PreviewLink>();
        }
        if (!await access.MayAsync(actor, facts, ArticleOperations.SharePreview))
        {
            return Result.Forbidden("只有稿件作者和本栏目的编辑可以生成预览链接；已撤回的稿件不能预览。").As<PreviewLink>();
        }
        if (!LifetimeDays.Contains(days))
        {
            return Result.Refused(LifetimeMessage).As<PreviewLink>();
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (revisionNumber == 0 && !await db.ArticleRevisions.AnyAsync(r => r.ArticleId == articleId, ct))
        {
            // An article never saved in the newsroom (imported, generated) has no version to point at: its current
            // text becomes version 1, so the link keeps showing it whatever changes later.
            var article = await db.Articles.Include(a => a.Tags).SingleAsync(a => a.Id == articleId, ct);
            db.ArticleRevisions.Add(ArticleRevision.Of(article, 1, actor, now, FirstVersionNote));
            revisionNumber = 1;
        }
        else if (!await db.ArticleRevisions.AnyAsync(r => r.ArticleId == articleId && r.Number == revisionNumber, ct))
        {
            return Result.Refused($"第 {revisionNumber} 版不存在，请刷新后重试。").As<PreviewLink>();
        }
        var link = PreviewLink.Create(articleId, revisionNumber, actor.UserId, actor.Name, now, TimeSpan.FromDays(days));
        db.PreviewLinks.Add(link);
        audit.Add(AuditActions.PreviewLinkCreated, ArticleEditor.Target(articleId),
            $"第 {revisionNumber} 版，有效至 {ChinaTime.FormatDateTime(link.ExpiresAt)}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Preview link {LinkId} to revision {Revision} of article {ArticleId} made by {UserId}, expires {ExpiresAt}",
            link.Id, revisionNumber, articleId, actor.UserId, link.ExpiresAt);
        return Result<PreviewLink>.Done(link, $"已生成第 {revisionNumber} 版的预览链接，有效期 {days} 天。");
    }

    public async Task<Result> RevokeAsync(int articleId, int linkId, Actor actor, CancellationToken ct)
    {
        var link = await db.PreviewLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.ArticleId == articleId, ct);
        if (link is null || await FactsAsync(articleId, ct) is not { } facts)
        {
            return Result.NotFound();
        }
        // Withdrawing an article does not stop anyone from revoking its links.
        if (!await access.MayAsync(actor, facts, ArticleOperations.SharePreview) && !await access.MayAsync(actor, facts, ArticleOperations.Withdraw))
        {
            return Result.Forbidden("只有稿件作者和本栏目的编辑可以撤销预览链接。");
        }
        if (!link.Revoke(actor.Name, time.GetUtcNow().UtcDateTime))
        {
            return Result.Unchanged("该预览链接已撤销。");
        }
        audit.Add(AuditActions.PreviewLinkRevoked, ArticleEditor.Target(articleId), $"第 {link.RevisionNumber} 版的预览链接（{link.CreatedByName} 生成）");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Preview link {LinkId} of article {ArticleId} revoked by {UserId}", link.Id, articleId, actor.UserId);
        return Result.Done("预览链接已撤销，持有链接的人将无法再打开。");
    }

    private Task<ArticleFacts?> FactsAsync(int articleId, CancellationToken ct) =>
        db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(ArticleFacts.Projection)
            .SingleOrDefaultAsync(ct)!;
}
