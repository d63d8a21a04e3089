using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>The steps a person can take on an article's review page; each one is a domain method of <see cref="Article"/>.</summary>
public enum WorkflowStep
{
    Submit,
    Pass,
    SendBack,
    Publish,
    Schedule,
    Correct,
    Withdraw,
    PublishNow,
    Reschedule,
    CancelSchedule,
    ReturnToDraft,
    SubmitChange,
    PassChange,
    SendBackChange,
    DiscardChange,
    SetOffline,
    CancelOffline,
    SetEmbargo,
    LiftEmbargo,

    /// <summary>删除: to the recycle bin (<see cref="Article.Recycle"/>).</summary>
    Recycle,

    /// <summary>恢复 from the recycle bin, as a draft.</summary>
    Restore,
}

/// <summary>
/// What the newsroom pages show about the workflow: which forms to offer and how to name a status. The rules
/// themselves live in the domain methods, which refuse whatever these helpers might offer by mistake.
/// </summary>
public static class WorkflowSteps
{
    /// <summary>
    /// The steps to offer this person at <paramref name="now"/>, in the order the page shows them. A scheduled report
    /// can be published at once, rescheduled or taken back only while its minute lies ahead (<see cref="Article.IsVisibleAt"/>);
    /// from then on readers see it and it is treated as published. The schedule controls belong to whoever may
    /// schedule: editorial staff.
    /// </summary>
    public static IReadOnlyList<WorkflowStep> Offered(Article article, Actor actor, int levels, DateTime now) =>
        [.. StatusSteps(article, actor, levels, now), .. EmbargoSteps(article, actor, now), .. RecycleBinSteps(article, actor)];

    /// <summary>禁发 is set and lifted by whoever may edit the report while readers have not seen it (scheduled: editors).</summary>
    private static IEnumerable<WorkflowStep> EmbargoSteps(Article article, Actor actor, DateTime now)
    {
        var open = article.Status switch
        {
            ArticleStatus.Draft or ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved => article.IsEditableBy(actor),
            ArticleStatus.Scheduled => article.IsPendingSchedule(now) && actor.IsEditorial,
            _ => false,
        };
        if (open)
        {
            yield return WorkflowStep.SetEmbargo;
            if (article.EmbargoUntil is not null)
            {
                yield return WorkflowStep.LiftEmbargo;
            }
        }
    }

    /// <summary>删除 last, below everything else a report in the newsroom offers; 恢复 alone in the recycle bin.</summary>
    private static IEnumerable<WorkflowStep> RecycleBinSteps(Article article, Actor actor)
    {
        if (article.CanBeRecycled && (actor.IsEditorial || article.Status == ArticleStatus.Draft && article.IsEditableBy(actor)))
        {
            yield return WorkflowStep.Recycle;
        }
        if (article.Status == ArticleStatus.Recycled && (actor.IsEditorial || actor.IsIn(NewsRoles.Reporter) && article.OwnerId == actor.UserId))
        {
            yield return WorkflowStep.Restore;
        }
    }

    private static IReadOnlyList<WorkflowStep> StatusSteps(Article article, Actor actor, int levels, DateTime now) => article.Status switch
    {
        ArticleStatus.Draft when article.IsEditableBy(actor) => [WorkflowStep.Submit],
        ArticleStatus.Submitted or ArticleStatus.InReview when actor.IsEditorial =>
            MayPassNext(article, actor, levels) ? [WorkflowStep.Pass, WorkflowStep.SendBack] : [WorkflowStep.SendBack],
        ArticleStatus.Approved when actor.IsEditorial => [WorkflowStep.Publish, WorkflowStep.Schedule, WorkflowStep.SendBack],
        ArticleStatus.Scheduled when actor.IsEditorial && article.IsPendingSchedule(now) =>
            article.OfflineAt is null
                ? [WorkflowStep.PublishNow, WorkflowStep.Reschedule, WorkflowStep.CancelSchedule, WorkflowStep.Correct, WorkflowStep.SetOffline, WorkflowStep.Withdraw]
                : [WorkflowStep.PublishNow, WorkflowStep.Reschedule, WorkflowStep.CancelSchedule, WorkflowStep.Correct, WorkflowStep.SetOffline,
                    WorkflowStep.CancelOffline, WorkflowStep.Withdraw],
        ArticleStatus.Published or ArticleStatus.Scheduled when actor.IsEditorial => article.OfflineAt is null
            ? [WorkflowStep.Correct, WorkflowStep.SetOffline, WorkflowStep.Withdraw]
            : [WorkflowStep.Correct, WorkflowStep.SetOffline, WorkflowStep.CancelOffline, WorkflowStep.Withdraw],
        ArticleStatus.Withdrawn when actor.IsEditorial && article.WasWithdrawnUnseen => [WorkflowStep.ReturnToDraft],
        _ => [],
    };

    /// <summary>
    /// The steps on the article's pending version (an edit of reviewed text). <paramref name="authors"/> wrote it and
    /// may not pass it.
    /// </summary>
    public static IReadOnlyList<WorkflowStep> OfferedForChange(Article article, Actor actor, int levels, int fullLevels,
        IReadOnlyCollection<string> authors) => article.PendingState switch
    {
        ChangeState.Draft when actor.IsEditorial => [WorkflowStep.SubmitChange, WorkflowStep.DiscardChange],
        ChangeState.Draft when article.IsEditableBy(actor) => [WorkflowStep.SubmitChange],
        ChangeState.InReview when actor.IsEditorial => MayPassChange(article, actor, levels, fullLevels, authors)
            ? [WorkflowStep.PassChange, WorkflowStep.SendBackChange, WorkflowStep.DiscardChange]
            : [WorkflowStep.SendBackChange, WorkflowStep.DiscardChange],
        _ => [],
    };

    public static bool MayPassChange(Article article, Actor actor, int levels, int fullLevels, IReadOnlyCollection<string> authors) =>
        article.PendingState == ChangeState.InReview
        && ReviewLevels.CanPassChange(actor, article.PendingReviewLevel + 1, levels, fullLevels)
        && !authors.Contains(actor.UserId) && !article.ChangePassedThisRound(actor.UserId);

    /// <summary>The pending version's state as the newsroom reads it: 修改待送审, 修改待初审, 修改已初审 · 待复审 …</summary>
    public static string ChangeLabel(ChangeState state, int level) => state switch
    {
        ChangeState.Draft => "修改待送审",
        ChangeState.InReview when level == 0 => $"修改待{ReviewLevels.Name(1)}",
        ChangeState.InReview => $"修改已{ReviewLevels.Name(level)} · 待{ReviewLevels.Name(level + 1)}",
        _ => "",
    };

    /// <summary>The next level is this person's to pass, and they have not passed the article at another level since it was submitted.</summary>
    public static bool MayPassNext(Article article, Actor actor, int levels)
    {
        if (article.Status is not (ArticleStatus.Submitted or ArticleStatus.InReview) || !MayPassLevel(actor, article.ReviewLevel + 1, levels))
        {
            return false;
        }
        return !article.PassedThisRound(actor.UserId);
    }

    /// <summary>The last level (and anything beyond it) is the editor-in-chief's; the levels before it are any editor's.</summary>
    public static bool MayPassLevel(Actor actor, int level, int levels) =>
        level >= levels ? actor.IsIn(NewsRoles.EditorInChief) : actor.IsEditorial;

    /// <summary>The status as the newsroom reads it, with the review level reached: 待初审, 已初审 · 待复审, 已终审 · 待发布 …</summary>
    public static string StatusLabel(ArticleStatus status, int reviewLevel) => status switch
    {
        ArticleStatus.Draft => "草稿",
        ArticleStatus.Submitted => $"待{ReviewLevels.Name(1)}",
        ArticleStatus.InReview => $"已{ReviewLevels.Name(reviewLevel)} · 待{ReviewLevels.Name(reviewLevel + 1)}",
        ArticleStatus.Approved => $"已{ReviewLevels.Name(reviewLevel)} · 待发布",
        ArticleStatus.Scheduled => "定时发布",
        ArticleStatus.Published => "已发布",
        ArticleStatus.Withdrawn => "已撤稿",
        ArticleStatus.Recycled => "回收站",
        _ => status.ToString(),
    };

    public static string BadgeClass(ArticleStatus status) => status switch
    {
        ArticleStatus.Published => "status-badge status-badge--published",
        ArticleStatus.Scheduled => "status-badge status-badge--scheduled",
        ArticleStatus.Withdrawn => "status-badge status-badge--withdrawn",
        ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved => "status-badge status-badge--review",
        _ => "status-badge",
    };

    public const int MinYear = 1970;
    public const int MaxYear = 2999;

    /// <summary>
    /// Reads a datetime-local value ("2026-11-28T14:30") as China Standard Time and returns UTC; null when it is not
    /// one or lies outside the years <see cref="MinYear"/>–<see cref="MaxYear"/>.
    /// </summary>
    public static DateTime? ParseChinaLocal(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)
            || !DateTime.TryParseExact(value.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"],
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
        {
            return null;
        }
        // A schedule or an expiry is a time of this era: years 1 and 9999 are a typo or a probe, and at the calendar's
        // edges the shift to UTC (and any later arithmetic) would leave DateTime's range.
        if (local.Year is < MinYear or > MaxYear)
        {
            return null;
        }
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaTime.Offset).UtcDateTime;
    }

    /// <summary>The value for a datetime-local input: the UTC instant in China Standard Time, to the minute.</summary>
    public static string FormatChinaLocal(DateTime utc) => ChinaTime.FromUtc(utc).ToString("yyyy-MM-ddTHH:mm");
}
