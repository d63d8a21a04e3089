using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.RecycleBin;

/// <summary>
/// Deletes for good the reports that have waited in the recycle bin longer than
/// <see cref="RecycleBinOptions.RetentionDays"/>, each in its own unit of work, audited. One node at a time
/// (<see cref="JobLock"/>): two would race to delete and audit the same report.
/// </summary>
public sealed class RecycleBinPurger(
    IServiceScopeFactory scopes,
    JobLock jobs,
    TimeProvider time,
    IOptions<RecycleBinOptions> options,
    StartupGate startup,
    ILogger<RecycleBinPurger> logger) : BackgroundService
{
    /// <summary>At most this many reports per pass; the next pass takes the rest.</summary>
    public const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startup.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await PeriodicPass.RunAsync(time, options.Value.PurgeInterval, PurgeDueAsync,
            e => logger.LogError(e, "Purging the recycle bin failed; retrying in {Interval}", options.Value.PurgeInterval),
            stoppingToken, first: true);
    }

    /// <summary>One pass: deletes the reports whose time in the bin is over; returns how many.</summary>
    public async Task<int> PurgeDueAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(JobLock.RecycleBin, ct);
        if (pass is null)
        {
            return 0;
        }
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.Retention;
        List<int> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Articles.AsNoTracking()
                .Where(a => a.Status == ArticleStatus.Recycled && a.RecycledAt <= cutoff)
                .OrderBy(a => a.RecycledAt).ThenBy(a => a.Id)
                .Select(a => a.Id).Take(BatchSize).ToListAsync(ct);
        }
        var purged = 0;
        foreach (var id in due)
        {
            // One unit of work per report: one restored at this moment does not hold up the others.
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<RecycleBinService>().PurgeIfDueAsync(id, ct))
            {
                purged++;
            }
        }
        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} reports from the recycle bin", purged);
        }
        return purged;
    }
}
