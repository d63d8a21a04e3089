using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Curation;

/// <summary>
/// Changes a curated block (头条, 热点新闻 pins, 热点视频): <see cref="PlacementList"/> decides, this service loads
/// the block, adds the audit entry to the same unit of work and saves; the save's interceptors show the change to
/// readers on their next request. Every change answers a <see cref="Result"/> whose message is the flash or the
/// refusal; two editors changing a block at once make the later one a conflict.
/// </summary>
public sealed class CurationService(
    NewsDbContext db,
    AuditLog audit,
    TimeProvider time,
    ILogger<CurationService> logger)
{
    public const string ConflictMessage = "版面刚刚被他人修改，请查看最新的排列后再操作。";

    /// <summary>Places the article. <paramref name="until"/> is UTC.</summary>
    public Task<Result> PlaceAsync(CurationBlock block, int articleId, int? position, DateTime? until, CancellationToken ct) =>
        RefusingAsync(block, () => PlaceCoreAsync(block, articleId, position, until, ct));

    public Task<Result> RemoveAsync(CurationBlock block, int articleId, CancellationToken ct) =>
        RefusingAsync(block, () => RemoveCoreAsync(block, articleId, ct));

    /// <summary>Moves the article up (negative offset) or down; nothing is saved when it is already at that end.</summary>
    public Task<Result> MoveAsync(CurationBlock block, int articleId, int offset, CancellationToken ct) =>
        RefusingAsync(block, () => MoveCoreAsync(block, articleId, offset, ct));

    private async Task<Result> PlaceCoreAsync(CurationBlock block, int articleId, int? position, DateTime? until, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == articleId, ct);
        if (article is null)
        {
            return Result.Refused($"没有编号为 {articleId} 的稿件。");
        }
        var list = await LoadAsync(block, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var (placement, renewed) = list.Place(article, now, position, until);
        if (!renewed)
        {
            db.Placements.Add(placement);
        }
        var expiry = placement.Until is { } u ? $"，北京时间 {ChinaTime.FormatDateTime(u)} 到期" : block == CurationBlock.HotNews ? "，不设到期" : "";
        audit.Add(AuditActions.Placed(block), Target(article.Id),
            $"《{article.Title}》第 {placement.Position} 位{expiry}{(renewed ? "（更新已有置顶）" : "")}");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Article {ArticleId} placed in {Block} at {Position} until {Until}", article.Id, block, placement.Position, placement.Until);

        var waiting = article.IsVisibleAt(now) ? ""
            : $"稿件定于 {ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）发布，届时显示。";
        return Result.Done(block switch
        {
            CurationBlock.Headline => $"已设为头条：《{article.Title}》（第 {placement.Position} 位）。{waiting}",
            CurationBlock.HotNews => $"已{(renewed ? "更新" : "")}置顶到热点新闻：《{article.Title}》（第 {placement.Position} 位{expiry}）。{waiting}",
            _ => $"已加入热点视频：《{article.Title}》（第 {placement.Position} 位）。{waiting}",
        });
    }

    private async Task<Result> RemoveCoreAsync(CurationBlock block, int articleId, CancellationToken ct)
    {
        var list = await LoadAsync(block, ct);
        var placement = list.Remove(articleId);
        db.Placements.Remove(placement);
        var title = placement.Article?.Title;
        audit.Add(AuditActions.Removed(block), Target(articleId), $"《{title}》");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Article {ArticleId} removed from {Block}", articleId, block);
        return Result.Done($"已从{list.Name}中移除：《{title}》。");
    }

    private async Task<Result> MoveCoreAsync(CurationBlock block, int articleId, int offset, CancellationToken ct)
    {
        var list = await LoadAsync(block, ct);
        if (!list.Move(articleId, Math.Sign(offset)))
        {
            return Result.Unchanged(offset < 0 ? "这篇稿件已在最前。" : "这篇稿件已在最后。");
        }
        var placement = list.Placements.Single(p => p.ArticleId == articleId);
        audit.Add(AuditActions.Moved(block), Target(articleId), $"《{placement.Article?.Title}》移到第 {placement.Position} 位");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        return Result.Done($"已调整{list.Name}顺序：《{placement.Article?.Title}》现在是第 {placement.Position} 位。");
    }

    private async Task<PlacementList> LoadAsync(CurationBlock block, CancellationToken ct) =>
        new(block, await db.Placements.Include(p => p.Article).Where(p => p.Block == block).ToListAsync(ct));

    /// <summary>The block's rules (<see cref="PlacementList"/>) refuse by throwing before anything is saved; the editor gets the reason.</summary>
    private async Task<Result> RefusingAsync(CurationBlock block, Func<Task<Result>> change)
    {
        try
        {
            return await change();
        }
        catch (WorkflowException e)
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Change to {Block} refused: {Reason}", block, e.Message);
            return Result.Refused(e.Message);
        }
    }

    /// <summary>Null when saved, otherwise the conflict to answer.</summary>
    private async Task<Result?> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two editors placed the same article at once (the unique index), or the article was deleted meanwhile.
            db.ChangeTracker.Clear();
            return Result.Conflict(ConflictMessage);
        }
        return null;
    }

    private static string Target(int articleId) => $"article:{articleId}";
}
