using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Notifications;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>Who a workflow notice goes to.</summary>
public enum NoticeAudience
{
    /// <summary>Everyone who may pass the article's next level now (desk, role, not the same person twice).</summary>
    NextReviewers,

    /// <summary>Everyone who may pass the pending change's next level now (and did not write it).</summary>
    NextChangeReviewers,

    /// <summary>The report's owner (its reporter).</summary>
    Owner,

    /// <summary>The people who wrote the pending change.</summary>
    ChangeAuthors,
}

public sealed record WorkflowNotice(NotificationKind Kind, NoticeAudience Audience, string Text);

/// <summary>
/// What the newsroom is told when a workflow step is saved: a report waiting at a level (待我审), sent back, published
/// (now or at its minute), a change applied (更正). The notices go into the step's own unit of work, never to the
/// person who took the step.
/// </summary>
public sealed class WorkflowNotices(Notifier notifier, TimeProvider time, Microsoft.Extensions.Options.IOptions<NewsroomOptions> options)
{
    /// <summary>
    /// The notices for the records a step left (<paramref name="records"/>, in order), reading the article as it is
    /// after the step. Pure, for the unit tests.
    /// </summary>
    public static IReadOnlyList<WorkflowNotice> Plan(Article article, IReadOnlyList<ArticleReview> records)
    {
        var title = $"《{article.Title}》";
        var notices = new List<WorkflowNotice>();
        foreach (var record in records)
        {
            var by = record.UserId is null ? "" : $"（{record.UserName}）";
            switch (record.Action)
            {
                case ReviewAction.Submit:
                case ReviewAction.Pass when article.Status == ArticleStatus.InReview && record == records[^1]:
                    var waiting = $"稿件{title}待{ReviewLevels.Name(article.ReviewLevel + 1)}";
                    notices.Add(new(NotificationKind.ReviewWaiting, NoticeAudience.NextReviewers,
                        record.Action == ReviewAction.Submit ? $"{waiting}，由{record.UserName}送审" : $"{waiting}，{ReviewLevels.Name(record.Level)}已由{record.UserName}通过"));
                    break;
                case ReviewAction.ChangeSubmitted:
                case ReviewAction.ChangePassed when article.PendingState == ChangeState.InReview && record == records[^1]:
                    notices.Add(new(NotificationKind.ReviewWaiting, NoticeAudience.NextChangeReviewers,
                        $"稿件{title}的修改待{ReviewLevels.Name(article.PendingReviewLevel + 1)}{by}"));
                    break;
                case ReviewAction.SendBack:
                    notices.Add(new(NotificationKind.SentBack, NoticeAudience.Owner, $"您的稿件{title}被退回{by}：{record.Note}"));
                    break;
                case ReviewAction.ChangeSentBack:
                    notices.Add(new(NotificationKind.SentBack, NoticeAudience.ChangeAuthors, $"您对稿件{title}的修改被退回{by}：{record.Note}"));
                    break;
                case ReviewAction.Publish:
                case ReviewAction.PublishNow:
                    notices.Add(new(NotificationKind.Published, NoticeAudience.Owner, $"您的稿件{title}已发布{by}"));
                    break;
                case ReviewAction.PublishedOnSchedule:
                    notices.Add(new(NotificationKind.Published, NoticeAudience.Owner,
                        $"您的稿件{title}已按定时于 {ChinaTime.FormatDateTime(article.PublishedAt ?? record.At)} 发布"));
                    break;
                case ReviewAction.ChangeApplied:
                    notices.Add(new(NotificationKind.Corrected, NoticeAudience.Owner, article.CorrectedAt == record.At && article.CorrectionNote is { } note
                        ? $"您的稿件{title}已更正{by}：{note}"
                        : $"您的稿件{title}的修改已通过审核并生效{by}"));
                    break;
            }
        }
        return notices;
    }

    /// <summary>
    /// Adds the notices of <paramref name="records"/> to the unit of work. <paramref name="actor"/> is who took the
    /// step (null for the scheduler); <paramref name="authors"/> wrote the pending change, as the step read them.
    /// </summary>
    public async Task AddAsync(Article article, Actor? actor, IReadOnlyList<ArticleReview> records, IReadOnlyCollection<string> authors,
        CancellationToken ct)
    {
        foreach (var notice in Plan(article, records))
        {
            List<string?> recipients = notice.Audience switch
            {
                NoticeAudience.NextReviewers => [.. await notifier.ReviewersAsync((person, desk) => MayPassNext(article, person, desk), actor, ct)],
                NoticeAudience.NextChangeReviewers => [.. await notifier.ReviewersAsync((person, desk) => MayPassChange(article, person, desk, authors), actor, ct)],
                NoticeAudience.Owner => [article.OwnerId],
                _ => [.. authors],
            };
            await notifier.AddAsync(notice.Kind, recipients, article.Id, notice.Text, actor, ct);
        }
    }

    // The access policy (role, desk, state) and the workflow's own rule (the same person never passes two levels),
    // as the review page offers the step.
    private bool MayPassNext(Article article, Actor person, Coverage desk) =>
        ArticleAccessHandler.Decide(person, ArticleFacts.Of(article), ArticleOperations.Pass, desk, Now, options.Value.ReviewLevels)
        && WorkflowSteps.MayPassNext(article, person, options.Value.ReviewLevels);

    private bool MayPassChange(Article article, Actor person, Coverage desk, IReadOnlyCollection<string> authors) =>
        ArticleAccessHandler.Decide(person, ArticleFacts.Of(article), ArticleOperations.ReviewChange, desk, Now, options.Value.ReviewLevels)
        && WorkflowSteps.MayPassChange(article, person, options.Value.EffectiveChangeReviewLevels, options.Value.ReviewLevels, authors);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
