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
    ArticleEditor editor,
    AuditLog audit,
    TimeProvider time,
    IOptions<NewsroomOptions> options,
    ArticleAccess access,
    WorkflowNotices notices,
    ILogger<WorkflowService> logger)
{
    public const int NoteMaxLength = 1000;

    public const string StaleMessage = "这篇稿件刚刚有了变化（可能已有他人处理），请查看最新状态后再操作。";
    public const string NotOfferedMessage = "您现在不能对这篇稿件进行这项操作。";
    public const string ScheduleTimeMessage = "请填写正确的定时发布时间（北京时间）。";
    public const string OfflineTimeMessage = "请填写正确的下线时间（北京时间）。";
    public const string EmbargoTimeMessage = "请填写正确的禁发时间（北京时间）。";

    public int Levels => options.Value.ReviewLevels;

    /// <summary>How many levels a change of reviewed text passes (at most the full chain).</summary>
    public int ChangeLevels => options.Value.EffectiveChangeReviewLevels;

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
        var authors = article.HasPendingChange ? await editor.PendingAuthorsAsync(article, ct) : [];
        foreach (var step in WorkflowSteps.Offered(article, actor, Levels, time.GetUtcNow().UtcDateTime)
            .Concat(WorkflowSteps.OfferedForChange(article, actor, ChangeLevels, Levels, authors)))
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
        WorkflowStep.SetOffline or WorkflowStep.CancelOffline => ArticleOperations.SetOffline,
        WorkflowStep.Correct => ArticleOperations.Correct,
        WorkflowStep.Withdraw or WorkflowStep.ReturnToDraft => ArticleOperations.Withdraw,
        WorkflowStep.SubmitChange or WorkflowStep.SetEmbargo or WorkflowStep.LiftEmbargo => ArticleOperations.Edit,
        WorkflowStep.PassChange or WorkflowStep.SendBackChange or WorkflowStep.DiscardChange => ArticleOperations.ReviewChange,
        WorkflowStep.Recycle => ArticleOperations.Recycle,
        WorkflowStep.Restore => ArticleOperations.Restore,
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
        var authors = article.HasPendingChange ? await editor.PendingAuthorsAsync(article, ct) : [];
        var offered = allowed.Succeeded && (WorkflowSteps.Offered(article, actor, Levels, now).Contains(step)
            || WorkflowSteps.OfferedForChange(article, actor, ChangeLevels, Levels, authors).Contains(step));
        if (offered && version != article.Version)
        {
            return Result<SensitiveWordReport>.Conflict(StaleMessage, null);
        }
        // The time is read whether or not the step is offered: a refused 改期 (say its minute came while the calendar
        // was open) is then explained by the rule that refuses it, not by a missing time that was in fact given.
        var scheduled = step is WorkflowStep.Schedule or WorkflowStep.Reschedule or WorkflowStep.SetOffline or WorkflowStep.SetEmbargo
            ? WorkflowSteps.ParseChinaLocal(at) : null;
        if (step is WorkflowStep.Schedule or WorkflowStep.Reschedule or WorkflowStep.SetOffline or WorkflowStep.SetEmbargo && offered && scheduled is null)
        {
            return Result.Refused(step switch
            {
                WorkflowStep.SetOffline => OfflineTimeMessage,
                WorkflowStep.SetEmbargo => EmbargoTimeMessage,
                _ => ScheduleTimeMessage,
            }).As<SensitiveWordReport>();
        }
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var pending = step is WorkflowStep.SubmitChange or WorkflowStep.PassChange ? await editor.PendingInputAsync(article, ct) : null;
        if (offered && await BlockedAsync(article, pending, actor, step, ct) is { } blocked)
        {
            return blocked;
        }
        var reviewsBefore = article.Reviews.Count;
        // A level passes, and a release sends out, the text stored now (a change's level, its pending version); the
        // 稿签 shows its hash.
        var stamp = !offered ? null : step switch
        {
            WorkflowStep.Pass or WorkflowStep.Publish or WorkflowStep.Schedule or WorkflowStep.PublishNow => await TextStamps.OfAsync(db, article, ct),
            WorkflowStep.PassChange => await TextStamps.OfPendingAsync(db, article, ct),
            _ => null,
        };
        try
        {
            switch (step)
            {
                case WorkflowStep.Submit: article.Submit(actor, now); break;
                case WorkflowStep.Pass: article.Pass(actor, Levels, now, text, stamp); break;
                case WorkflowStep.SendBack: article.SendBack(actor, text ?? "", now); break;
                case WorkflowStep.Publish: article.Release(actor, now, text: stamp); break;
                case WorkflowStep.Schedule: article.Release(actor, now, scheduled ?? throw new WorkflowException("请填写定时发布的时间。"), stamp); break;
                case WorkflowStep.Correct: await CorrectAsync(article, actor, text, now, ct); break;
                case WorkflowStep.Withdraw: article.Withdraw(actor, text ?? "", now); break;
                case WorkflowStep.PublishNow: article.PublishNow(actor, now, stamp); break;
                case WorkflowStep.Reschedule: article.Reschedule(actor, scheduled ?? throw new WorkflowException("请填写改期后的发布时间。"), now); break;
                case WorkflowStep.CancelSchedule: article.CancelSchedule(actor, now); break;
                case WorkflowStep.ReturnToDraft: article.ReturnToDraft(actor, now, text); break;
                case WorkflowStep.SubmitChange: article.SubmitChange(actor, now); break;
                case WorkflowStep.SendBackChange: article.SendBackChange(actor, text ?? "", now); break;
                case WorkflowStep.DiscardChange: article.DiscardChange(actor, now); break;
                case WorkflowStep.SetOffline: article.SetOffline(actor, scheduled ?? throw new WorkflowException(OfflineTimeMessage), now); break;
                case WorkflowStep.CancelOffline: article.CancelOffline(actor, now); break;
                case WorkflowStep.SetEmbargo: article.SetEmbargo(actor, scheduled ?? throw new WorkflowException(EmbargoTimeMessage), text, now); break;
                case WorkflowStep.LiftEmbargo: article.LiftEmbargo(actor, now); break;
                case WorkflowStep.Recycle: article.Recycle(actor, now); break;
                case WorkflowStep.Restore: article.Restore(actor, now); break;
                case WorkflowStep.PassChange:
                    if (article.PassChange(actor, ChangeLevels, Levels, authors, now, text, stamp)
                        && await ApplyChangeAsync(article, pending, actor, now, ct) is { } refused)
                    {
                        return refused;
                    }
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(step), step, null);
            }
        }
        catch (WorkflowException e)
        {
            // A step that was not offered is refused for who is asking; an offered one for what was filled in.
            logger.LogInformation("Article {ArticleId} {WorkflowStep} by {UserId} refused: {Reason}", article.Id, step, actor.UserId, e.Message);
            db.ChangeTracker.Clear();
            return (offered ? Result.Refused(e.Message) : Result.Forbidden(e.Message)).As<SensitiveWordReport>();
        }
        if (!offered)
        {
            // The pages offer a little less than the domain allows (see WorkflowSteps.MayPassLevel); nothing is saved.
            db.ChangeTracker.Clear();
            return Result.Forbidden(NotOfferedMessage).As<SensitiveWordReport>();
        }
        if (step is not (WorkflowStep.SubmitChange or WorkflowStep.SendBackChange or WorkflowStep.DiscardChange or WorkflowStep.Correct)
            || article.Status == ArticleStatus.Draft)
        {
            article.UpdatedAt = now;
        }

        // One audit entry per record the step left (passing a change's last level also applies it).
        foreach (var entry in article.Reviews.Skip(reviewsBefore))
        {
            var name = ArticleReview.ActionName(entry.Action, entry.Level);
            audit.Add(AuditActions.Workflow(entry.Action), $"article:{article.Id}", entry.Note is null ? name : $"{name}：{entry.Note}");
        }
        var record = article.Reviews[^1];
        var actionName = ArticleReview.ActionName(record.Action, record.Level);
        // 消息: who is now waiting for this article, or whose report this was, is told in the same save.
        await notices.AddAsync(article, actor, [.. article.Reviews.Skip(reviewsBefore)], authors, ct);
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

        logger.LogInformation("Article {ArticleId} {WorkflowAction} by {UserId}; now {Status} at level {ReviewLevel}, pending change {PendingState} at level {PendingReviewLevel}",
            article.Id, record.Action, actor.UserId, article.Status, article.ReviewLevel, article.PendingState, article.PendingReviewLevel);
        return Result<SensitiveWordReport>.Done(SensitiveWordReport.Empty, step switch
        {
            WorkflowStep.Schedule when article.Status == ArticleStatus.Scheduled =>
                $"已定时发布：{ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）。",
            WorkflowStep.Reschedule => $"已改期：{ChinaTime.FormatDateTime(article.PublishedAt!.Value)}（北京时间）发布。",
            WorkflowStep.SetOffline => $"已设定下线时间：{ChinaTime.FormatDateTime(article.OfflineAt!.Value)}（北京时间）起，读者将看不到这篇稿件。",
            WorkflowStep.CancelOffline => "已取消下线时间，稿件继续向读者显示。",
            WorkflowStep.SetEmbargo => $"已设定禁发：{ChinaTime.FormatDateTime(article.EmbargoUntil!.Value)}（北京时间）前不能发布。",
            WorkflowStep.LiftEmbargo => "已解除禁发。",
            WorkflowStep.Recycle => "稿件已删除，移入回收站；在回收站中可以恢复，到期后永久删除。",
            WorkflowStep.Restore => "稿件已从回收站恢复为草稿，再次发布须重新经过全部审核。",
            WorkflowStep.Correct => "更正已作为待审修改送审，通过审核后向读者显示。",
            WorkflowStep.PassChange when record.Action == ReviewAction.ChangeApplied =>
                article.IsVisibleAt(now) ? "修改已通过审核，读者现在看到修改后的版本。" : "修改已通过审核，稿件发布时读者将看到修改后的版本。",
            _ => $"已{actionName}。",
        });
    }

    /// <summary>
    /// 更正 from the review page: the text as it stands (the pending version, or the reviewed one) with the note,
    /// as a pending version in review. The note reaches readers only with the change, after its review.
    /// </summary>
    private async Task CorrectAsync(Article article, Actor actor, string? note, DateTime now, CancellationToken ct)
    {
        if (note is null)
        {
            throw new WorkflowException("更正须写明更正说明。");
        }
        if (note.Length > NoteMaxLength)
        {
            throw new WorkflowException($"更正说明不能超过 {NoteMaxLength} 个字。");
        }
        await editor.StageCorrectionAsync(article, note, actor, now, ct);
        if (article.PendingState == ChangeState.Draft)
        {
            article.SubmitChange(actor, now);
        }
    }

    /// <summary>The pending version passed its last level: its text goes through the word gate onto the article.</summary>
    private async Task<Result<SensitiveWordReport>?> ApplyChangeAsync(Article article, ArticleInput? pending, Actor actor,
        DateTime now, CancellationToken ct)
    {
        if (pending is null)
        {
            throw new WorkflowException("找不到待审修改的内容，请刷新页面。");
        }
        var verdict = await editor.GateAsync(article, pending, ct);
        if (!verdict.Passed)
        {
            db.ChangeTracker.Clear();
            logger.LogWarning("Pending change of article {ArticleId} refused at the word gate on its last level by {UserId}", article.Id, actor.UserId);
            return Result.Refused([.. verdict.Refusals("通过修改").Select(m => new InputError("", m))]).With(verdict.Report);
        }
        article.ApplyChange(actor, pending.CorrectionNote, now);
        // The record of the change going live carries the hash of the text readers now see, 更正 included.
        var applied = article.Reviews[^1];
        var stamp = await TextStamps.OfAsync(db, article, ct);
        (applied.TextSha256, applied.RevisionNumber) = (stamp.Sha256, article.PendingRevision ?? stamp.RevisionNumber);
        return null;
    }

    /// <summary>
    /// 禁止-words stop every step that moves an article towards readers — submitting, passing any level, releasing —
    /// so a word added to the list while an article is in review still stops it.
    /// </summary>
    private async Task<Result<SensitiveWordReport>?> BlockedAsync(Article article, ArticleInput? pending, Actor actor,
        WorkflowStep step, CancellationToken ct)
    {
        if (step is not (WorkflowStep.Submit or WorkflowStep.Pass or WorkflowStep.Publish or WorkflowStep.Schedule
            or WorkflowStep.PublishNow or WorkflowStep.Reschedule or WorkflowStep.SubmitChange or WorkflowStep.PassChange))
        {
            return null;
        }
        var stepName = StepName(article, step);
        SensitiveWordReport report;
        IReadOnlyList<string> refusals;
        if (step is WorkflowStep.Publish or WorkflowStep.PublishNow)
        {
            // Text becomes visible now: the gate also replaces replace-words listed since the last save.
            var verdict = await editor.GateAsync(article, null, ct);
            (report, refusals) = (verdict.Report, verdict.Refusals(stepName));
        }
        else
        {
            report = pending is not null ? await screening.ScreenAsync(pending, ct) : await screening.ScreenAsync(article, ct);
            refusals = report.IsBlocked ? report.BlockMessages(stepName) : [];
        }
        if (refusals.Count == 0)
        {
            return null;
        }
        db.ChangeTracker.Clear();
        logger.LogWarning("Article {ArticleId} {WorkflowStep} by {UserId} refused: blocked sensitive words {Words} at {Positions}",
            article.Id, step, actor.UserId, report.BlockedWords, report.Blocked.Select(h => h.Position));
        return Result.Refused([.. refusals.Select(m => new InputError("", m))]).With(report);
    }

    private static string StepName(Article article, WorkflowStep step) => step switch
    {
        WorkflowStep.Submit => "送审",
        WorkflowStep.Pass => $"通过{ReviewLevels.Name(article.ReviewLevel + 1)}",
        WorkflowStep.Publish => "发布",
        WorkflowStep.Schedule => "定时发布",
        WorkflowStep.PublishNow => "立即发布",
        WorkflowStep.Reschedule => "改期",
        WorkflowStep.SubmitChange => "送审修改",
        WorkflowStep.PassChange => $"通过修改（{ReviewLevels.Name(article.PendingReviewLevel + 1)}）",
        _ => step.ToString(),
    };
}
