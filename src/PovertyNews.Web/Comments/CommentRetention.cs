using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Comments;

/// <summary>
/// Keeps personal data minimal: after <see cref="CommentOptions.RetentionDays"/> rejected comments are deleted and the
/// client hash of every comment is dropped (it is only for the rate limit, which looks back minutes). Approved and
/// pending comments stay. One node runs a pass at a time (<see cref="JobLock"/>).
/// </summary>
public sealed class CommentRetention(IServiceScopeFactory scopes, JobLock jobs, TimeProvider time, IOptions<CommentOptions> options,
    ILogger<CommentRetention> logger) : BackgroundService
{
    public const string Job = "comments";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicPass.RunAsync(time, options.Value.RetentionInterval, async ct =>
        {
            await RunAsync(ct);
        }, ex =>
        {
            logger.LogError(ex, "Comment retention pass failed; retrying in {Interval}", options.Value.RetentionInterval);
        }, stoppingToken);
    }

    /// <summary>One pass. Returns how many rejected comments were deleted and how many hashes dropped.</summary>
    public async Task<(int Deleted, int Anonymised)> RunAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(Job, ct);
        if (pass is null)
        {
            return (0, 0);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        // Set-based, so no change tracker: rejected comments were never on a page, and the hash is shown nowhere,
        // so nothing cached needs evicting.
        var deleted = await db.Comments.Where(c => c.Status == CommentStatus.Rejected && c.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        var anonymised = await db.Comments.Where(c => c.ClientHash != null && c.CreatedAt < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClientHash, (string?)null), ct);
        if (deleted + anonymised > 0)
        {
            logger.LogInformation("Comment retention: {Deleted} rejected comments deleted, {Anonymised} client hashes dropped", deleted, anonymised);
        }
        return (deleted, anonymised);
    }
}
