using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Notifications;

namespace PovertyNews.Web.Newsroom.SavedSearches;

/// <summary>
/// Runs every alerting saved search over the reports published since it was last run and tells its owner of the new
/// ones: one notification per search and run (how many, the first titles), then moves the search's mark on. The
/// owner's access scope applies, as on the search page. One pass at a time across nodes (<see cref="JobLock"/>).
/// </summary>
public sealed class SavedSearchAlerts(IServiceScopeFactory scopes, JobLock jobs, TimeProvider time, IOptions<SavedSearchOptions> options,
    ILogger<SavedSearchAlerts> logger) : BackgroundService
{
    public const string Job = "savedsrc";

    /// <summary>Titles named in one notification.</summary>
    public const int TitlesShown = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicPass.RunAsync(time, options.Value.AlertInterval, async ct =>
        {
            await RunAsync(ct);
        }, ex =>
        {
            logger.LogError(ex, "Saved-search alerts failed; retrying in {Interval}", options.Value.AlertInterval);
        }, stoppingToken);
    }

    /// <summary>One pass; returns how many notifications it wrote.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(Job, ct);
        if (pass is null)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        List<int> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            ids = await db.SavedSearches.AsNoTracking().Where(s => s.Alert)
                .Join(db.Users.Where(u => !u.IsDisabled), s => s.UserId, u => u.Id, (s, u) => s.Id)
                .OrderBy(id => id).ToListAsync(ct);
        }
        var written = 0;
        foreach (var id in ids)
        {
            // A scope per search: one person's failing search does not stop the others' alerts.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                written += await AlertAsync(scope.ServiceProvider, id, now, ct) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Saved search {SavedSearchId} could not be run for its alert", id);
            }
        }
        return written;
    }

    private async Task<bool> AlertAsync(IServiceProvider services, int id, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<NewsDbContext>();
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.Alert, ct);
        if (saved is null)
        {
            return false;
        }
        var after = saved.CheckedUpTo ?? saved.CreatedAt;
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == saved.UserId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(ct);
        var actor = new Actor(saved.UserId, "", roles.ToHashSet());
        var scope = await services.GetRequiredService<ArticleAccess>().ScopeAsync(actor);
        var matches = await services.GetRequiredService<ISavedQueryMatcher>()
            .PublishedBetweenAsync(saved.Query, scope.All ? null : scope.OwnerId, after, now, TitlesShown, ct);
        saved.CheckedUpTo = now;
        if (matches.Count > 0)
        {
            var titles = string.Join("、", matches.Newest.Select(m => $"《{m.Title}》"));
            var more = matches.Count > matches.Newest.Count ? "等" : "";
            var count = matches.Count >= QueryMatches.Limit ? $"至少 {matches.Count}" : $"{matches.Count}";
            await services.GetRequiredService<Notifier>().AddAsync(NotificationKind.SavedSearchMatch, [saved.UserId],
                matches.Newest[0].ArticleId, $"保存的检索“{saved.Name}”有 {count} 篇新发布的稿件：{titles}{more}", null, ct);
        }
        await db.SaveChangesAsync(ct);
        if (matches.Count > 0)
        {
            logger.LogInformation("Saved search {SavedSearchId} of {UserId} found {Count} new reports", id, saved.UserId, matches.Count);
        }
        return matches.Count > 0;
    }
}
