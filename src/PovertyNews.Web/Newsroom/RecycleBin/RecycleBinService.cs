using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Newsroom.RecycleBin;

/// <summary>
/// Deletes reports from the recycle bin for good: 永久删除 by hand (administrators, editors-in-chief), or the purge job
/// once <see cref="Article.IsPurgeDue"/> holds. Deleting goes through the change tracker, so the search index drops the
/// report in the same transaction (SearchIndexInterceptor) and the database cascades its revisions, review records,
/// tags, reads, preview links and notifications. Restoring is a workflow step (WorkflowStep.Restore).
/// </summary>
public sealed class RecycleBinService(
    NewsDbContext db,
    AuditLog audit,
    ArticleAccess access,
    TimeProvider time,
    IOptions<RecycleBinOptions> options,
    ILogger<RecycleBinService> logger)
{
    public const string SystemUserName = "系统（回收站）";
    public const string PurgeRefusal = "只有管理员和总编辑可以永久删除回收站中的稿件。";

    public RecycleBinOptions Options => options.Value;

    /// <summary>The minute the purge job deletes a report recycled at <paramref name="recycledAt"/>.</summary>
    public DateTime PurgeDueAt(DateTime recycledAt) => DateTime.SpecifyKind(recycledAt, DateTimeKind.Utc) + Options.Retention;

    /// <summary>永久删除 now, for whoever the access policy allows.</summary>
    public async Task<Result> PurgeAsync(int id, Actor actor, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null || !await access.MayAsync(actor, article, ArticleOperations.View))
        {
            return Result.NotFound("没有这篇稿件，可能已被永久删除。");
        }
        if (article.Status != ArticleStatus.Recycled)
        {
            return Result.Refused("只有回收站中的稿件可以永久删除；请先删除稿件。");
        }
        var allowed = await access.AuthorizeAsync(actor, ArticleFacts.Of(article), ArticleOperations.Purge);
        if (!allowed.Succeeded)
        {
            return Result.Forbidden(ArticleAccess.ReasonOf(allowed) is { } reason && reason != Access.ArticleAccessHandler.AdministratorMessage
                ? reason : PurgeRefusal);
        }
        if (!await DeleteAsync(article, $"{article.Title}（永久删除，删除于 {ChinaTime.FormatDateTime(article.RecycledAt ?? time.GetUtcNow().UtcDateTime)}）",
                null, ct))
        {
            return Result.Conflict("这篇稿件刚刚有了变化（可能已被恢复或删除），请刷新回收站。");
        }
        logger.LogInformation("Article {ArticleId} purged from the recycle bin by {UserId}", id, actor.UserId);
        return Result.Done($"已永久删除“{article.Title}”。");
    }

    /// <summary>
    /// One article the purge job found due, in this scope's unit of work: false when it is gone or no longer due
    /// (restored meanwhile), or someone changed it while it was being deleted.
    /// </summary>
    public async Task<bool> PurgeIfDueAsync(int id, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null || !article.IsPurgeDue(now, Options.Retention))
        {
            return false;
        }
        var deleted = await DeleteAsync(article,
            $"{article.Title}（删除于 {ChinaTime.FormatDateTime(article.RecycledAt!.Value)}，在回收站中超过 {Options.RetentionDays} 天）", SystemUserName, ct);
        if (deleted)
        {
            logger.LogInformation("Article {ArticleId} purged from the recycle bin after {RetentionDays} days", id, Options.RetentionDays);
        }
        return deleted;
    }

    private async Task<bool> DeleteAsync(Article article, string details, string? userName, CancellationToken ct)
    {
        db.Articles.Remove(article);
        audit.Add(AuditActions.ArticlePurged, $"article:{article.Id}", details, userName: userName);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Restored, or purged by another pass, between the read and the delete: nothing is deleted.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
