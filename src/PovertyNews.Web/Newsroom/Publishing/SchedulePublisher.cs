using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>
/// Marks scheduled articles as published once their time has come, with a record and an audit entry.
/// Readers do not wait for it: <see cref="Article.VisibleAt"/> shows a scheduled article from its minute on,
/// so a late or stopped job changes only the status the newsroom sees, never what readers see.
/// </summary>
public sealed class SchedulePublisher(
    IServiceScopeFactory scopes,
    JobLock jobs,
    TimeProvider time,
    IOptions<NewsroomOptions> options,
    ILogger<SchedulePublisher> logger,
    SchedulerMetrics metrics) : BackgroundService
{
    /// <summary>At most this many articles per pass; the next tick takes the rest.</summary>
    public const int BatchSize = 100;

    public const string SystemUserName = "系统（定时发布）";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicPass.RunAsync(time, options.Value.SchedulerInterval, async ct =>
        {
            await PublishDueAsync(ct);
            await TakeOfflineDueAsync(ct);
            metrics.Run(succeeded: true);
        }, ex =>
        {
            metrics.Run(succeeded: false);
            // The next tick tries again; a bad pass must not stop scheduled publishing for good.
            logger.LogError(ex, "Scheduled publishing failed; retrying in {Interval}", options.Value.SchedulerInterval);
        }, stoppingToken);
    }

    /// <summary>
    /// One pass: completes every scheduled article that is due now, through the word gate. Articles due within the
    /// next two intervals are screened too, so one caught by a 禁止-word listed after it was scheduled is held back
    /// before its minute, while readers cannot see it yet. Returns how many were completed. With several nodes on one
    /// database one pass runs at a time (<see cref="JobLock"/>); a node finding another's pass running skips its own
    /// and returns 0, so two nodes never race to publish the same article.
    /// </summary>
    public async Task<int> PublishDueAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(JobLock.SchedulePublishing, ct);
        if (pass is null)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var horizon = now + 2 * options.Value.SchedulerInterval;
        List<int> dueIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            dueIds = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Articles.AsNoTracking()
                .Where(a => a.Status == ArticleStatus.Scheduled && a.PublishedAt <= horizon)
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
            if (article is null || article.Status != ArticleStatus.Scheduled)
            {
                continue;
            }
            var due = article.PublishedAt <= now;
            var verdict = await scope.ServiceProvider.GetRequiredService<ArticleEditor>().GateAsync(article, null, ct);
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            if (!verdict.Passed)
            {
                var reason = verdict.Report.IsBlocked
                    ? $"含有禁止使用的敏感词（{string.Join("、", verdict.Report.BlockedWords.Select(w => $"“{w}”"))}）"
                    : $"正文无法显示（{verdict.Rejected}）";
                db.ChangeTracker.Clear();
                article = await db.Articles.SingleAsync(a => a.Id == id, ct);
                article.HoldSchedule(reason, now);
                audit.Add(AuditActions.Workflow(ReviewAction.ScheduleHeld), $"article:{id}", reason, userName: SystemUserName);
                if (await SaveAsync(db, id, ct))
                {
                    logger.LogWarning("Scheduled article {ArticleId} held back at the word gate: blocked sensitive words {Words}",
                        id, verdict.Report.BlockedWords);
                }
                continue;
            }
            if (!due || !article.CompleteSchedule(now, await TextStamps.OfAsync(db, article, ct)))
            {
                continue; // screened ahead of its minute; replace-words are applied when it is due
            }
            audit.Add(AuditActions.Workflow(ReviewAction.PublishedOnSchedule),
                $"article:{id}", $"定于 {ChinaTime.FormatDateTime(article.PublishedAt!.Value)}", userName: SystemUserName);
            await scope.ServiceProvider.GetRequiredService<WorkflowNotices>().AddAsync(article, null, [article.Reviews[^1]], [], ct);
            if (await SaveAsync(db, id, ct))
            {
                completed++;
                metrics.Published(now - article.PublishedAt!.Value);
                logger.LogInformation("Scheduled article {ArticleId} published on schedule for {PublishedAt:o}", id, article.PublishedAt);
            }
        }
        return completed;
    }

    /// <summary>
    /// One pass: records every article whose 下线时间 has come (a record, an audit entry, and the save takes it out of
    /// the search index). Readers stopped seeing it at its minute already (<see cref="Article.VisibleAt"/>, and the
    /// portal snapshot expiring then); this is the newsroom's record. Under the same lock as publishing.
    /// </summary>
    public async Task<int> TakeOfflineDueAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(JobLock.SchedulePublishing, ct);
        if (pass is null)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        List<int> dueIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            dueIds = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Articles.AsNoTracking()
                // By the 下线时间's index; the status is checked by CompleteOffline (with it in the query SQLite would
                // walk every published article through the status index instead).
                .Where(a => a.OfflineAt <= now && a.WentOfflineAt == null)
                .OrderBy(a => a.OfflineAt).ThenBy(a => a.Id)
                .Select(a => a.Id).Take(BatchSize).ToListAsync(ct);
        }
        var completed = 0;
        foreach (var id in dueIds)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id, ct);
            if (article is null || !article.CompleteOffline(now))
            {
                continue;
            }
            scope.ServiceProvider.GetRequiredService<AuditLog>().Add(AuditActions.Workflow(ReviewAction.WentOffline),
                $"article:{id}", $"定于 {ChinaTime.FormatDateTime(article.OfflineAt!.Value)}", userName: OfflineUserName);
            if (await SaveAsync(db, id, ct))
            {
                completed++;
                logger.LogInformation("Article {ArticleId} went offline at its time {OfflineAt:o}", id, article.OfflineAt);
            }
        }
        return completed;
    }

    public const string OfflineUserName = "系统（定时下线）";

    private async Task<bool> SaveAsync(NewsDbContext db, int id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Scheduled article {ArticleId} changed while being published; the next pass looks again", id);
            return false;
        }
    }
}
