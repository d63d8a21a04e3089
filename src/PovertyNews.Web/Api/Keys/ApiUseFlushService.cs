using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Api.Keys;

/// <summary>
/// Writes counted key use (<see cref="ApiUseCounter"/>) to ApiKeys.UseCount/LastUsedAt and the per-day table every
/// <see cref="ApiOptions.UseFlushInterval"/> and once more at shutdown. Every node writes its own counts; the updates
/// add to what is stored, so nodes writing at the same time add up.
/// </summary>
public sealed class ApiUseFlushService(ApiUseCounter counter, IServiceScopeFactory scopes, TimeProvider time, IOptions<ApiOptions> options,
    ILogger<ApiUseFlushService> logger) : BufferFlushService(time)
{
    private readonly SemaphoreSlim _flushing = new(1, 1);

    protected override TimeSpan Interval => options.Value.UseFlushInterval;

    protected override Task WriteBufferAsync(CancellationToken ct) => FlushAsync(ct);

    protected override void OnFlushFailed(Exception e)
    {
        logger.LogWarning(e, "Writing API key use failed; the counts are kept for the next flush");
    }

    /// <summary>Writes what has been counted (tests call this); returns the number of requests written.</summary>
    public async Task<long> FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var (counts, lastUsed) = counter.Drain();
            if (counts.Count == 0)
            {
                return 0;
            }
            try
            {
                await WriteAsync(counts, lastUsed, ct);
            }
            catch
            {
                counter.Restore(counts, lastUsed);
                throw;
            }
            return counts.Values.Sum();
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WriteAsync(IReadOnlyDictionary<(int KeyId, DateOnly Day), long> counts, IReadOnlyDictionary<int, DateTime> lastUsed,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var group in counts.GroupBy(c => c.Key.KeyId))
        {
            var id = group.Key;
            var total = group.Sum(c => c.Value);
            var at = lastUsed.GetValueOrDefault(id);
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.UseCount, k => k.UseCount + total)
                .SetProperty(k => k.LastUsedAt, k => k.LastUsedAt != null && k.LastUsedAt > at ? k.LastUsedAt : at), ct);
            foreach (var ((_, day), n) in group)
            {
                var updated = await db.ApiKeyDailyUses.Where(u => u.ApiKeyId == id && u.Day == day)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.Requests, u => u.Requests + n), ct);
                if (updated == 0 && await db.ApiKeys.AnyAsync(k => k.Id == id, ct))
                {
                    db.ApiKeyDailyUses.Add(new ApiKeyDailyUse { ApiKeyId = id, Day = day, Requests = n });
                }
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
