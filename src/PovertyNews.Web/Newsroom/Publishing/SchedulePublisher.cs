using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>
/// Marks scheduled articles as published once their time has come, with a record and an audit entry.
/// Readers do not wait for it: <see cref="Article.VisibleAt"/> shows a scheduled article from its minute on,
/// so a late or stopped job changes only the status the newsroom sees, never what readers see.
/// </summary>
public sealed class SchedulePublisher(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<NewsroomOptions> options,
    ILogger<SchedulePublisher> logger) : BackgroundService
{
    /// <summary>At most this many articles per pass; the next tick takes the rest.</summary>
    public const int BatchSize = 100;

    public const string SystemUserName = "系统（定时发布）";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SchedulerInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PublishDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again; a bad pass must not stop scheduled publishing for good.
                    logger.LogError(ex, "Scheduled publishing failed; retrying in {Interval}", options.Value.SchedulerInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: completes every scheduled article that is due now. Returns how many were completed.</summary>
    public async Task<int> PublishDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<int> dueIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            dueIds = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Articles.AsNoTracking()
                .Where(a => a.Status == ArticleStatus.Scheduled && a.PublishedAt <= now)
                .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id)
                .Select(a => a.Id).Take(BatchSize).ToListAsync(ct);
        }

        var completed = 0;
        foreach (var id in dueIds)
        {
            // One unit of work per article: an article withdrawn at the same moment does not hold up the others.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var article = await db.Articles.Include(a => a.Tags).SingleOrDefaultAsync(a => a.Id == id, ct);
            if (article is null || !article.CompleteSchedule(now, await TextStamps.OfAsync(db, article, ct)))
            {
                continue;
            }
            scope.ServiceProvider.GetRequiredService<AuditLog>().Add(AuditActions.Workflow(ReviewAction.PublishedOnSchedule),
                $"article:{id}", $"定于 {ChinaTime.FormatDateTime(article.PublishedAt!.Value)}", userName: SystemUserName);
            try
            {
                await db.SaveChangesAsync(ct);
                completed++;
                logger.LogInformation("Scheduled article {ArticleId} published on schedule for {PublishedAt:o}", id, article.PublishedAt);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogWarning("Scheduled article {ArticleId} changed while being published; the next pass looks again", id);
            }
        }
        return completed;
    }
}
