using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// Prunes audit entries older than <see cref="AuditOptions.RetentionDays"/> (nothing when it is empty). The oldest
/// entries go, always a prefix of the chain: the entries up to the last one before the first entry still within the
/// period. In the same transaction the last pruned entry's sequence and hash become the chain's anchor
/// (<see cref="AuditAnchor"/>), so the first entry kept still links to a recorded hash, and the pruning itself is
/// audited (<c>audit.pruned</c>).
/// </summary>
public sealed class AuditRetention(IServiceScopeFactory scopes, JobLock jobs, IOptions<AuditOptions> options, TimeProvider time,
    StartupGate startup, ILogger<AuditRetention> logger) : BackgroundService
{
    public const string PrunedAction = "audit.pruned";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionDays is null)
        {
            return;
        }
        try
        {
            await startup.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await PeriodicPass.RunAsync(time, options.Value.PruneInterval, PruneAsync,
            e => logger.LogError(e, "Pruning the audit log failed; the next run tries again"), stoppingToken, first: true);
    }

    /// <summary>Prunes once; returns how many entries were removed.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        if (options.Value.RetentionDays is not { } days)
        {
            return 0;
        }
        // One node prunes at a time: two would anchor and audit the same pruning twice.
        await using var pass = await jobs.TryEnterAsync(JobLock.AuditRetention, ct);
        if (pass is null)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-days);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var firstKept = await db.AuditEntries.Where(e => e.At >= cutoff).MinAsync(e => (long?)e.Sequence, ct);
        var last = await db.AuditEntries.AsNoTracking().Where(e => firstKept == null || e.Sequence < firstKept)
            .OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        if (last?.Hash is null)
        {
            return 0;
        }
        var count = await db.AuditEntries.Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(ct);
        db.AuditAnchors.Add(new AuditAnchor { Sequence = last.Sequence, Hash = last.Hash, PrunedAt = time.GetUtcNow().UtcDateTime, PrunedCount = count });
        // Saved before the entry below, which links to the anchor when no older entry is left.
        await db.SaveChangesAsync(ct);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add(PrunedAction, $"audit:{last.Sequence}",
            $"删除 {count} 条超过 {days} 天的记录；锚点：序号 {last.Sequence}，哈希 {last.Hash}", userName: "系统");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Pruned {Count} audit entries older than {Days} days; the chain now starts after sequence {Sequence} ({Hash})",
            count, days, last.Sequence, last.Hash);
        return count;
    }
}
