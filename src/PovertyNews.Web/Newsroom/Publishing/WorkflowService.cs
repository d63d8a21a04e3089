using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>
/// Takes one workflow step on an article: the domain method decides and records it (<see cref="ArticleReview"/>),
/// this service adds the audit entry to the same unit of work and saves; the save's interceptors decide what readers
/// must see again. A refused step throws <see cref="WorkflowException"/> before anything changes, or
/// <see cref="SensitiveWordsBlockedException"/> when the article contains a word the list forbids.
/// </summary>
public sealed class WorkflowService(
    NewsDbContext db,
    ArticleScreening screening,
    AuditLog audit,
    TimeProvider time,
    IOptions<NewsroomOptions> options,
    ILogger<WorkflowService> logger)
{
    public const int NoteMaxLength = 1000;

    public int Levels => options.Value.ReviewLevels;

    /// <summary>The article with its review history and tags, tracked, or null when it does not exist or this person may not see it.</summary>
    public async Task<Article?> FindAsync(int id, Actor actor, CancellationToken ct)
    {
        // Placements come along so that a withdrawal takes the article out of every curated block in the same save;
        // tags, so the sensitive-word check sees every reader-visible text.
        var article = await db.Articles.Include(a => a.Reviews).Include(a => a.Placements).Include(a => a.Tags).AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == id, ct);
        return article is not null && WorkflowSteps.CanSee(actor, article.OwnerId) ? article : null;
    }

    /// <summary>
    /// Applies <paramref name="step"/> and saves; returns the success message. <paramref name="text"/> is the note or
    /// reason, <paramref name="at"/> (UTC) the scheduled time. Throws <see cref="WorkflowException"/> when the rules
    /// refuse, <see cref="DbUpdateConcurrencyException"/> when someone else saved the article in between.
    /// </summary>
    public async Task<string> ApplyAsync(Article article, Actor actor, WorkflowStep step, string? text, DateTime? at, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var offered = WorkflowSteps.Offered(article, actor, Levels).Contains(step);
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (offered && step is WorkflowStep.Submit or WorkflowStep.Pass or WorkflowStep.Publish or WorkflowStep.Schedule)
        {
            await RefuseBlockedAsync(article, actor, step, ct);
        }
        switch (step)
        {
            case WorkflowStep.Submit: article.Submit(actor, now); break;
            case WorkflowStep.Pass: article.Pass(actor, Levels, now, text); break;
            case WorkflowStep.SendBack: article.SendBack(actor, text ?? "", now); break;
            case WorkflowStep.Publish: article.Release(actor, now); break;
            case WorkflowStep.Schedule: article.Release(actor, now, at ?? throw new WorkflowException("请填写定时发布的时间。")); break;
            case WorkflowStep.Correct: article.Correct(actor, text ?? "", now); break;
            case WorkflowStep.Withdraw: article.Withdraw(actor, text ?? "", now); break;
            default: throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
        if (!offered)
        {
            // The pages offer a little less than the domain allows (see WorkflowSteps.MayPassLevel); nothing is saved.
            throw new WorkflowException("您现在不能对这篇稿件进行这项操作。");
        }
        article.UpdatedAt = now;

        var record = article.Reviews[^1];
        var actionName = ArticleReview.ActionName(record.Action, record.Level);
        audit.Add(AuditActions.Workflow(record.Action), $"article:{article.Id}",
            record.Note is null ? actionName : $"{actionName}：{record.Note}");
        await db.SaveChangesAsync(ct);

        logger.LogInformation("Article {ArticleId} {WorkflowAction} by {UserId}; now {Status} at level {ReviewLevel}",
            article.Id, record.Action, actor.UserId, article.Status, article.ReviewLevel);
        return article.Status == ArticleStatus.Scheduled && step == WorkflowStep.Schedule
            ? $"已定时发布：{ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）。"
            : $"已{actionName}。";
    }

    /// <summary>
    /// 禁止-words stop every step that moves an article towards readers — submitting, passing any level, releasing —
    /// so a word added to the list while an article is in review still stops it.
    /// </summary>
    private async Task RefuseBlockedAsync(Article article, Actor actor, WorkflowStep step, CancellationToken ct)
    {
        var report = await screening.ScreenAsync(article, ct);
        if (!report.IsBlocked)
        {
            return;
        }
        var stepName = StepName(article, step);
        logger.LogWarning("Article {ArticleId} {WorkflowStep} by {UserId} refused: blocked sensitive words {Words} at {Positions}",
            article.Id, step, actor.UserId, report.BlockedWords, report.Blocked.Select(h => h.Position));
        throw new SensitiveWordsBlockedException(report, stepName);
    }

    private static string StepName(Article article, WorkflowStep step) => step switch
    {
        WorkflowStep.Submit => "送审",
        WorkflowStep.Pass => $"通过{ReviewLevels.Name(article.ReviewLevel + 1)}",
        WorkflowStep.Publish => "发布",
        WorkflowStep.Schedule => "定时发布",
        _ => step.ToString(),
    };
}

/// <summary>A workflow step refused because the article contains 禁止-words; <see cref="Report"/> says which and where.</summary>
public sealed class SensitiveWordsBlockedException(SensitiveWordReport report, string stepName)
    : Exception($"Blocked by sensitive words: {string.Join(", ", report.BlockedWords)}")
{
    public SensitiveWordReport Report { get; } = report;

    /// <summary>The refused step as the page names it: 送审, 通过初审 …</summary>
    public string StepName { get; } = stepName;

    public IReadOnlyList<string> Messages => Report.BlockMessages(StepName);
}
