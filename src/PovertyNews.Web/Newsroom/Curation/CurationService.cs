using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Curation;

/// <summary>
/// Changes a curated block (头条, 热点新闻 pins, 热点视频): <see cref="PlacementList"/> decides, this service loads
/// the block, adds the audit entry to the same unit of work, and saves; the save's interceptors
/// show the change to readers on their next request. A refusal throws <see cref="WorkflowException"/> before anything is saved.
/// </summary>
public sealed class CurationService(
    NewsDbContext db,
    AuditLog audit,
    TimeProvider time,
    ILogger<CurationService> logger)
{
    public const string ConflictMessage = "版面刚刚被他人修改，请查看最新的排列后再操作。";

    /// <summary>Places the article and returns the success message. <paramref name="until"/> is UTC.</summary>
    public async Task<string> PlaceAsync(CurationBlock block, int articleId, int? position, DateTime? until, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == articleId, ct)
            ?? throw new WorkflowException($"没有编号为 {articleId} 的稿件。");
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
        await SaveAsync(ct);
        logger.LogInformation("Article {ArticleId} placed in {Block} at {Position} until {Until}", article.Id, block, placement.Position, placement.Until);

        var waiting = article.IsVisibleAt(now) ? ""
            : $"稿件定于 {ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）发布，届时显示。";
        return block switch
        {
            CurationBlock.Headline => $"已设为头条：《{article.Title}》（第 {placement.Position} 位）。{waiting}",
            CurationBlock.HotNews => $"已{(renewed ? "更新" : "")}置顶到热点新闻：《{article.Title}》（第 {placement.Position} 位{expiry}）。{waiting}",
            _ => $"已加入热点视频：《{article.Title}》（第 {placement.Position} 位）。{waiting}",
        };
    }

    public async Task<string> RemoveAsync(CurationBlock block, int articleId, CancellationToken ct)
    {
        var list = await LoadAsync(block, ct);
        var placement = list.Remove(articleId);
        db.Placements.Remove(placement);
        var title = placement.Article?.Title;
        audit.Add(AuditActions.Removed(block), Target(articleId), $"《{title}》");
        await SaveAsync(ct);
        logger.LogInformation("Article {ArticleId} removed from {Block}", articleId, block);
        return $"已从{list.Name}中移除：《{title}》。";
    }

    /// <summary>Moves the article up (negative offset) or down; nothing is saved when it is already at that end.</summary>
    public async Task<string> MoveAsync(CurationBlock block, int articleId, int offset, CancellationToken ct)
    {
        var list = await LoadAsync(block, ct);
        if (!list.Move(articleId, Math.Sign(offset)))
        {
            return offset < 0 ? "这篇稿件已在最前。" : "这篇稿件已在最后。";
        }
        var placement = list.Placements.Single(p => p.ArticleId == articleId);
        audit.Add(AuditActions.Moved(block), Target(articleId), $"《{placement.Article?.Title}》移到第 {placement.Position} 位");
        await SaveAsync(ct);
        return $"已调整{list.Name}顺序：《{placement.Article?.Title}》现在是第 {placement.Position} 位。";
    }

    private async Task<PlacementList> LoadAsync(CurationBlock block, CancellationToken ct) =>
        new(block, await db.Placements.Include(p => p.Article).Where(p => p.Block == block).ToListAsync(ct));

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two editors placed the same article at once (the unique index), or the article was deleted meanwhile.
            db.ChangeTracker.Clear();
            throw new WorkflowException(ConflictMessage);
        }
    }

    private static string Target(int articleId) => $"article:{articleId}";
}
