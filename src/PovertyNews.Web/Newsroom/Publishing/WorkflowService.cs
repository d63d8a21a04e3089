using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>
/// Takes one workflow step on an article: the domain method decides and records it (<see cref="ArticleReview"/>),
/// this service adds the audit entry to the same unit of work and saves; the save's interceptors decide what readers
/// must see again. A refused step comes back as a refusal before anything is saved: forbidden when the step is
/// not offered to this person, refused for what was filled in or for the 禁止-words in the article (the report is the
/// result's value), a conflict when the article changed since the page was shown.
/// </summary>
public sealed class WorkflowService(
    NewsDbContext db,
    ArticleScreening screening,
    AuditLog audit,
    TimeProvider time,
    IOptions<NewsroomOptions> options,
    ArticleAccess access,
    ILogger<WorkflowService> logger)
{
    public const int NoteMaxLength = 1000;

    public const string StaleMessage = "这篇稿件刚刚有了变化（可能已有他人处理），请查看最新状态后再操作。";
    public const string NotOfferedMessage = "您现在不能对这篇稿件进行这项操作。";
    public const string ScheduleTimeMessage = "请填写正确的定时发布时间（北京时间）。";

    public int Levels => options.Value.ReviewLevels;

    /// <summary>The article with its review history and tags, tracked, or null when it does not exist or this person may not see it.</summary>
    public async Task<Article?> FindAsync(int id, Actor actor, CancellationToken ct)
    {
        // Placements come along so that a withdrawal takes the article out of every curated block in the same save;
        // tags, so the sensitive-word check sees every reader-visible text.
        var article = await db.Articles.Include(a => a.Reviews).Include(a => a.Placements).Include(a => a.Tags).AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == id, ct);
        return article is not null && await access.MayAsync(actor, article, ArticleOperations.View) ? article : null;
    }

    /// <summary>The steps to offer on the review page: the workflow's own sequence, each one allowed by the access policy.</summary>
    public async Task<IReadOnlyList<WorkflowStep>> OfferedAsync(Article article, Actor actor, CancellationToken ct)
    {
        var offered = new List<WorkflowStep>();
        foreach (var step in WorkflowSteps.Offered(article, actor, Levels, time.GetUtcNow().UtcDateTime))
        {
            if (await access.MayAsync(actor, article, OperationOf(step)))
            {
                offered.Add(step);
            }
        }
        return offered;
    }

    /// <summary>The access policy's operation that covers a workflow step.</summary>
    public static Microsoft.AspNetCore.Authorization.Infrastructure.OperationAuthorizationRequirement OperationOf(WorkflowStep step) => step switch
    {
        WorkflowStep.Submit => ArticleOperations.Submit,
        WorkflowStep.Pass => ArticleOperations.Pass,
        WorkflowStep.SendBack => ArticleOperations.SendBack,
        WorkflowStep.Publish or WorkflowStep.Schedule or WorkflowStep.PublishNow or WorkflowStep.Reschedule
            or WorkflowStep.CancelSchedule => ArticleOperations.Publish,
        WorkflowStep.Correct => ArticleOperations.Correct,
        WorkflowStep.Withdraw or WorkflowStep.ReturnToDraft => ArticleOperations.Withdraw,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>
    /// Applies <paramref name="step"/> on top of the <paramref name="version"/> the page was showing and saves; a success
    /// carries the flash message. <paramref name="text"/> is the note or reason, <paramref name="at"/> the scheduled time
    /// as typed (China Standard Time). A refusal because of 禁止-words carries the screening report.
    /// </summary>
    public async Task<Result<SensitiveWordReport>> ApplyAsync(Article article, Actor actor, WorkflowStep step, Guid version,
        string? text, string? at, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The access policy decides; a refusal it can explain (the desk, an administrator) is answered at once, before
        // the article is touched; any other is left to the domain method below, whose message names the rule.
        var allowed = await access.AuthorizeAsync(actor, ArticleFacts.Of(article), OperationOf(step));
        if (!allowed.Succeeded && ArticleAccess.ReasonOf(allowed) is { } reason)
        {
            logger.LogInformation("Article {ArticleId} {WorkflowStep} by {UserId} refused by the access policy: {Reason}", article.Id, step, actor.UserId, reason);
            return Result.Forbidden(reason).As<SensitiveWordReport>();
        }
        var offered = allowed.Succeeded && WorkflowSteps.Offered(article, actor, Levels, now).Contains(step);
        if (offered && version != article.Version)
        {
            return Result<SensitiveWordReport>.Conflict(StaleMessage, null);
        }
        DateTime? scheduled = null;
        if (step is WorkflowStep.Schedule or WorkflowStep.Reschedule && offered && (scheduled = WorkflowSteps.ParseChinaLocal(at)) is null)
        {
            return Result.Refused(ScheduleTimeMessage).As<SensitiveWordReport>();
        }
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (offered && step is WorkflowStep.Submit or WorkflowStep.Pass or WorkflowStep.Publish or WorkflowStep.Schedule
                or WorkflowStep.PublishNow or WorkflowStep.Reschedule
            && await BlockedAsync(article, actor, step, ct) is { } blocked)
        {
            return blocked;
        }
        try
        {
            switch (step)
            {
                case WorkflowStep.Submit: article.Submit(actor, now); break;
                case WorkflowStep.Pass: article.Pass(actor, Levels, now, text); break;
                case WorkflowStep.SendBack: article.SendBack(actor, text ?? "", now); break;
                case WorkflowStep.Publish: article.Release(actor, now); break;
                case WorkflowStep.Schedule: article.Release(actor, now, scheduled ?? throw new WorkflowException("请填写定时发布的时间。")); break;
                case WorkflowStep.Correct: article.Correct(actor, text ?? "", now); break;
                case WorkflowStep.Withdraw: article.Withdraw(actor, text ?? "", now); break;
                case WorkflowStep.PublishNow: article.PublishNow(actor, now); break;
                case WorkflowStep.Reschedule: article.Reschedule(actor, scheduled ?? throw new WorkflowException("请填写改期后的发布时间。"), now); break;
                case WorkflowStep.CancelSchedule: article.CancelSchedule(actor, now); break;
                case WorkflowStep.ReturnToDraft: article.ReturnToDraft(actor, now, text); break;
                default: throw new ArgumentOutOfRangeException(nameof(step), step, null);
            }
        }
        catch (WorkflowException e)
        {
            // A step that was not offered is refused for who is asking; an offered one for what was filled in.
            logger.LogInformation("Article {ArticleId} {WorkflowStep} by {UserId} refused: {Reason}", article.Id, step, actor.UserId, e.Message);
            return (offered ? Result.Refused(e.Message) : Result.Forbidden(e.Message)).As<SensitiveWordReport>();
        }
        if (!offered)
        {
            // The pages offer a little less than the domain allows (see WorkflowSteps.MayPassLevel); nothing is saved.
            return Result.Forbidden(NotOfferedMessage).As<SensitiveWordReport>();
        }
        article.UpdatedAt = now;

        var record = article.Reviews[^1];
        var actionName = ArticleReview.ActionName(record.Action, record.Level);
        audit.Add(AuditActions.Workflow(record.Action), $"article:{article.Id}",
            record.Note is null ? actionName : $"{actionName}：{record.Note}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Article {ArticleId} {WorkflowStep} by {UserId} conflicted with another change", article.Id, step, actor.UserId);
            return Result<SensitiveWordReport>.Conflict(StaleMessage, null);
        }

        logger.LogInformation("Article {ArticleId} {WorkflowAction} by {UserId}; now {Status} at level {ReviewLevel}",
            article.Id, record.Action, actor.UserId, article.Status, article.ReviewLevel);
        return Result<SensitiveWordReport>.Done(SensitiveWordReport.Empty, step switch
        {
            WorkflowStep.Schedule when article.Status == ArticleStatus.Scheduled =>
                $"已定时发布：{ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）。",
            WorkflowStep.Reschedule => $"已改期：{ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）发布。",
            _ => $"已{actionName}。",
        });
    }

    /// <summary>
    /// 禁止-words stop every step that moves an article towards readers — submitting, passing any level, releasing —
    /// so a word added to the list while an article is in review still stops it.
    /// </summary>
    private async Task<Result<SensitiveWordReport>?> BlockedAsync(Article article, Actor actor, WorkflowStep step, CancellationToken ct)
    {
        var report = await screening.ScreenAsync(article, ct);
        if (!report.IsBlocked)
        {
            return null;
        }
        var stepName = StepName(article, step);
        logger.LogWarning("Article {ArticleId} {WorkflowStep} by {UserId} refused: blocked sensitive words {Words} at {Positions}",
            article.Id, step, actor.UserId, report.BlockedWords, report.Blocked.Select(h => h.Position));
        return Result.Refused([.. report.BlockMessages(stepName).Select(m => new InputError("", m))]).With(report);
    }

    private static string StepName(Article article, WorkflowStep step) => step switch
    {
        WorkflowStep.Submit => "送审",
        WorkflowStep.Pass => $"通过{ReviewLevels.Name(article.ReviewLevel + 1)}",
        WorkflowStep.Publish => "发布",
        WorkflowStep.Schedule => "定时发布",
        WorkflowStep.PublishNow => "立即发布",
        WorkflowStep.Reschedule => "改期",
        _ => step.ToString(),
    };
}
