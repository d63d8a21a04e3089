using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Reads real rows the way reader pages do: the newest articles with their text, and the channels. <c>SELECT 1</c>
/// would pass on a database whose table pages are damaged; this reads pages of the tables themselves. Damage
/// elsewhere in the file is <see cref="IntegrityHealthCheck"/>'s to find.
/// </summary>
public sealed class DatabaseHealthCheck(NewsDbContext db) : IHealthCheck
{
    /// <summary>About one front page of articles.</summary>
    private const int Articles = 20;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The text's length makes SQLite read each row whole, overflow pages included.
            var newest = await db.Articles.AsNoTracking().OrderByDescending(a => a.Id).Take(Articles)
                .Select(a => new { a.Id, Length = a.Title.Length + a.BodyHtml.Length }).ToListAsync(cancellationToken);
            var channels = await db.Channels.AsNoTracking().Select(c => c.Name.Length).CountAsync(cancellationToken);
            return HealthCheckResult.Healthy(newest.Count == 0
                ? $"Read {channels} channels; no articles yet."
                : $"Read the newest {newest.Count} articles (up to id {newest[0].Id}) and {channels} channels.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Reading articles failed: {e.GetBaseException().Message}", e);
        }
    }
}
