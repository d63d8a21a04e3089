using System.Linq.Expressions;

namespace PovertyNews.Web.Domain;

public class Article
{
    public int Id { get; set; }

    /// <summary>Stable key used by the content importer and in friendly URLs; never changes once published.</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }
    public string? Subtitle { get; set; }
    public string Summary { get; set; } = "";

    public string BodyMarkdown { get; private set; } = "";

    /// <summary>Sanitised HTML rendered from <see cref="BodyMarkdown"/> at save time; pages never render Markdown.</summary>
    public string BodyHtml { get; private set; } = "";

    public int ChannelId { get; set; }
    public Channel? Channel { get; set; }
    public List<Tag> Tags { get; set; } = [];

    /// <summary>来源. Empty means the site itself.</summary>
    public string? Source { get; set; }

    /// <summary>转自: the outlet this report was first published by.</summary>
    public string? ReprintedFrom { get; set; }

    public string? Author { get; set; }

    /// <summary>责任编辑.</summary>
    public string? ResponsibleEditor { get; set; }

    /// <summary>新闻热线 shown in the contact block.</summary>
    public string? ContactHotline { get; set; }

    /// <summary>官方微信公众号 shown in the contact block.</summary>
    public string? ContactWeChat { get; set; }

    public string? CoverImageUrl { get; set; }
    public string? CoverImageAlt { get; set; }

    public ArticleKind Kind { get; set; }
    public string? VideoUrl { get; set; }
    public string? VideoPosterUrl { get; set; }

    public ArticleStatus Status { get; private set; }

    /// <summary>UTC. For a scheduled article this is the scheduled time, which may still lie ahead.</summary>
    public DateTime? PublishedAt { get; private set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Where editors placed the article: 头条, a 热点新闻 pin, a 热点视频 pick (see <see cref="PlacementList"/>).</summary>
    public List<Placement> Placements { get; set; } = [];

    public long ViewCount { get; set; }

    /// <summary>Hash of the imported file this article was last written from; lets the importer skip unchanged files.</summary>
    public string? ImportHash { get; set; }

    /// <summary>Changes on every save, so two editors saving the same article cannot silently overwrite each other.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>Sets the body together with its rendered HTML so the two can never drift apart.</summary>
    public void SetBody(string markdown, string renderedHtml)
    {
        BodyMarkdown = markdown;
        BodyHtml = renderedHtml;
    }

    /// <summary>The newsroom user who owns the article (its reporter); null for imported content.</summary>
    public string? OwnerId { get; set; }

    /// <summary>The highest review level passed since the article was last submitted.</summary>
    public int ReviewLevel { get; private set; }

    /// <summary>更正: shown on the article page when a published report has been corrected.</summary>
    public string? CorrectionNote { get; private set; }
    public DateTime? CorrectedAt { get; private set; }

    public string? WithdrawalReason { get; private set; }
    public DateTime? WithdrawnAt { get; private set; }

    /// <summary>
    /// 下线时间, UTC: from this minute the report leaves every public list and its page answers 410, like a withdrawal
    /// but planned and without its wording. Readers stop seeing it at the minute whatever the job does
    /// (<see cref="VisibleAt"/>); <see cref="WentOfflineAt"/> is the job's record of it.
    /// </summary>
    public DateTime? OfflineAt { get; private set; }

    /// <summary>When the newsroom's job recorded the report going offline (search drops it then); null while online.</summary>
    public DateTime? WentOfflineAt { get; private set; }

    /// <summary>
    /// 禁发至, UTC: the report may not go out before this minute (a source's embargo, a press conference). Publishing
    /// and scheduling are refused before it; staff see it with <see cref="EmbargoNote"/> wherever the report is shown.
    /// </summary>
    public DateTime? EmbargoUntil { get; private set; }

    /// <summary>禁发说明: why and until when the report is held, for the staff who handle it.</summary>
    public string? EmbargoNote { get; private set; }

    /// <summary>留言 closed on this report: existing approved comments still show, new ones are refused.</summary>
    public bool CommentsClosed { get; set; }

    /// <summary>When the report was sent to the recycle bin (回收站); null unless <see cref="ArticleStatus.Recycled"/>.</summary>
    public DateTime? RecycledAt { get; private set; }

    public List<ArticleReview> Reviews { get; set; } = [];

    // ---- Forward revisions: once an article has passed review, an edit waits beside it until it passes too. ----

    /// <summary>
    /// The <see cref="ArticleRevision.Number"/> of the pending version: an edit of an article whose text has passed
    /// review (<see cref="KeepsReviewedText"/>). Readers, feeds, search and the caches keep reading this row, the
    /// reviewed text, until the pending version passes its own review and is applied.
    /// </summary>
    public int? PendingRevision { get; private set; }

    public ChangeState PendingState { get; private set; }

    /// <summary>The first revision of the pending version: its authors are the people who wrote revisions since.</summary>
    public int? PendingSince { get; private set; }

    /// <summary>The highest review level the pending version has passed since it was last submitted.</summary>
    public int PendingReviewLevel { get; private set; }

    /// <summary>
    /// The text has passed every review level (approved, scheduled or published): an edit must not replace it but
    /// waits as a pending version. An article still in review is edited in place and its review starts again.
    /// </summary>
    public bool KeepsReviewedText => Status is ArticleStatus.Approved or ArticleStatus.Scheduled or ArticleStatus.Published;

    public bool HasPendingChange => PendingState != ChangeState.None;

    /// <summary>Publishes now, or schedules for <paramref name="at"/> when that lies ahead.</summary>
    public void Publish(DateTime now, DateTime? at = null)
    {
        if (Status == ArticleStatus.Withdrawn)
        {
            throw new WorkflowException("已撤回的稿件不能再次发布。");
        }
        var when = EnsureUtc(at ?? now);
        Status = when > EnsureUtc(now) ? ArticleStatus.Scheduled : ArticleStatus.Published;
        PublishedAt = when;
    }

    /// <summary>Marks a scheduled article as published once its time has come; a no-op otherwise.</summary>
    public bool CompleteSchedule(DateTime now, TextStamp? text = null)
    {
        if (Status != ArticleStatus.Scheduled || PublishedAt > EnsureUtc(now))
        {
            return false;
        }
        Status = ArticleStatus.Published;
        Record(ReviewAction.PublishedOnSchedule, null, now, text: text);
        return true;
    }

    /// <summary>Withdraws without a record (the importer, tests). Loaded placements go with it: a withdrawn article leaves every block.</summary>
    public void Withdraw()
    {
        Status = ArticleStatus.Withdrawn;
        Placements.Clear();
    }

    public void ReturnToDraft()
    {
        Status = ArticleStatus.Draft;
        PublishedAt = null;
        (OfflineAt, WentOfflineAt) = (null, null);
        ReviewLevel = 0;
    }

    // ---- The newsroom workflow (三审). Each step checks its rule and leaves a record. ----

    public bool IsEditableBy(Actor actor) => Status switch
    {
        ArticleStatus.Draft => actor.IsEditorial || (actor.IsIn(NewsRoles.Reporter) && OwnerId == actor.UserId),
        ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved => actor.IsEditorial,
        // A published report changes through a correction, which editors make.
        ArticleStatus.Published or ArticleStatus.Scheduled => actor.IsEditorial,
        _ => false,
    };

    public void Submit(Actor actor, DateTime now)
    {
        Require(Status == ArticleStatus.Draft, "只有草稿可以送审。");
        Require(IsEditableBy(actor), "您不能送审这篇稿件。");
        Require(!string.IsNullOrWhiteSpace(BodyMarkdown), "正文为空的稿件不能送审。");
        Status = ArticleStatus.Submitted;
        ReviewLevel = 0;
        Record(ReviewAction.Submit, actor, now);
    }

    /// <param name="text">What this level was given to pass (<see cref="ApprovalText"/>), for the 稿签.</param>
    public void Pass(Actor actor, int levels, DateTime now, string? note = null, TextStamp? text = null)
    {
        Require(Status is ArticleStatus.Submitted or ArticleStatus.InReview, "这篇稿件不在审核中。");
        var level = ReviewLevel + 1;
        Require(ReviewLevels.CanPass(actor, level, levels), $"您没有{ReviewLevels.Name(level)}的权限。");
        Require(!PassedSinceSubmission().Any(r => r.UserId == actor.UserId),
            "同一人不能在两个审核级别通过同一篇稿件。");
        ReviewLevel = level;
        Status = level >= levels ? ArticleStatus.Approved : ArticleStatus.InReview;
        Record(ReviewAction.Pass, actor, now, note, level, text);
    }

    public void SendBack(Actor actor, string reason, DateTime now)
    {
        Require(Status is ArticleStatus.Submitted or ArticleStatus.InReview or ArticleStatus.Approved, "这篇稿件不在审核中。");
        Require(!HasPendingChange, "这篇稿件有待审的修改，请先通过或放弃修改，再退回稿件。");
        Require(actor.IsEditorial, "您不能退回稿件。");
        Require(!string.IsNullOrWhiteSpace(reason), "退回稿件须填写理由。");
        Status = ArticleStatus.Draft;
        ReviewLevel = 0;
        Record(ReviewAction.SendBack, actor, now, reason.Trim());
    }

    public void Release(Actor actor, DateTime now, DateTime? at = null, TextStamp? text = null)
    {
        Require(Status == ArticleStatus.Approved, "稿件须通过全部审核后才能发布。");
        Require(actor.IsEditorial, "您不能发布稿件。");
        if (at is { } time && EnsureUtc(time) <= EnsureUtc(now))
        {
            throw new WorkflowException("定时发布的时间须晚于现在。");
        }
        RequireOutsideEmbargo(at ?? now);
        Publish(now, at);
        Record(Status == ArticleStatus.Scheduled ? ReviewAction.Schedule : ReviewAction.Publish, actor, now,
            Status == ArticleStatus.Scheduled ? $"定于 {ChinaTime.FormatDateTime(PublishedAt!.Value)}" : null, text: text);
    }

    // ---- Schedule controls: a scheduled report that is not yet due can be moved, taken back or released at once. ----

    /// <summary>Scheduled and its minute still ahead: readers have never seen it, so its time may still change.</summary>
    public bool IsPendingSchedule(DateTime now) =>
        Status == ArticleStatus.Scheduled && PublishedAt is { } at && EnsureUtc(at) > EnsureUtc(now);

    // ---- 下线时间: a published (or scheduled) report taken off the site at a set minute, and brought back. ----

    /// <summary>设定下线时间: a minute ahead of now and after the publishing time; recorded, as is every change of it.</summary>
    public void SetOffline(Actor actor, DateTime at, DateTime now)
    {
        Require(Status is ArticleStatus.Published or ArticleStatus.Scheduled, "只有已发布或定时发布的稿件可以设定下线时间。");
        Require(actor.IsEditorial, "您不能设定下线时间。");
        var when = EnsureUtc(at);
        Require(when > EnsureUtc(now), "下线时间须晚于现在。");
        Require(PublishedAt is not { } published || when > EnsureUtc(published), "下线时间须晚于发布时间。");
        var old = OfflineAt;
        Require(old is null || ChinaTime.FormatDateTime(when) != ChinaTime.FormatDateTime(old.Value), "新的下线时间与原定时间相同。");
        var wasOffline = IsOfflineAt(now);
        OfflineAt = when;
        WentOfflineAt = null;
        Record(ReviewAction.SetOffline, actor, now, (old, wasOffline) switch
        {
            (_, true) => $"重新上线，定于 {ChinaTime.FormatDateTime(when)} 下线",
            ({ } before, _) => $"由 {ChinaTime.FormatDateTime(before)} 改为 {ChinaTime.FormatDateTime(when)}",
            _ => $"定于 {ChinaTime.FormatDateTime(when)} 下线",
        });
    }

    /// <summary>取消下线: no planned time any more; a report already offline is back on the site.</summary>
    public void CancelOffline(Actor actor, DateTime now)
    {
        Require(Status is ArticleStatus.Published or ArticleStatus.Scheduled && OfflineAt is not null, "这篇稿件没有设定下线时间。");
        Require(actor.IsEditorial, "您不能取消下线。");
        var wasOffline = IsOfflineAt(now);
        var old = OfflineAt!.Value;
        OfflineAt = null;
        WentOfflineAt = null;
        Record(ReviewAction.CancelOffline, actor, now,
            wasOffline ? $"已于 {ChinaTime.FormatDateTime(old)} 下线，现重新上线" : $"原定 {ChinaTime.FormatDateTime(old)} 下线");
    }

    /// <summary>The job's record that the minute came: once, by the system. False when there is nothing to record.</summary>
    public bool CompleteOffline(DateTime now)
    {
        if (!IsOfflineAt(now) || WentOfflineAt is not null)
        {
            return false;
        }
        WentOfflineAt = EnsureUtc(now);
        Record(ReviewAction.WentOffline, null, now, $"定于 {ChinaTime.FormatDateTime(OfflineAt!.Value)}");
        return true;
    }

    /// <summary>Off the site now because its 下线时间 has come (a withdrawn report is <see cref="IsWithdrawn"/> instead).</summary>
    public bool IsOfflineAt(DateTime now) => IsOffline(Status, OfflineAt, now);

    public static bool IsOffline(ArticleStatus status, DateTime? offlineAt, DateTime now) =>
        status is ArticleStatus.Published or ArticleStatus.Scheduled && offlineAt is { } at && EnsureUtc(at) <= EnsureUtc(now);

    /// <summary>改期: a new time, which must lie ahead; recorded with the old time and the new.</summary>
    public void Reschedule(Actor actor, DateTime at, DateTime now)
    {
        RequirePendingSchedule(actor, now, "您不能改期。");
        var when = EnsureUtc(at);
        Require(when > EnsureUtc(now), "改期的时间须晚于现在。");
        var old = PublishedAt!.Value;
        Require(ChinaTime.FormatDateTime(when) != ChinaTime.FormatDateTime(old), "新的发布时间与原定时间相同。");
        Require(OfflineAt is not { } off || when < EnsureUtc(off), "新的发布时间须早于下线时间；请先修改或取消下线时间。");
        RequireOutsideEmbargo(when);
        PublishedAt = when;
        Record(ReviewAction.Reschedule, actor, now, $"由 {ChinaTime.FormatDateTime(old)} 改为 {ChinaTime.FormatDateTime(when)}");
    }

    /// <summary>取消定时: back to 已终审 · 待发布 as before scheduling, with no time; the levels passed stay passed.</summary>
    public void CancelSchedule(Actor actor, DateTime now)
    {
        RequirePendingSchedule(actor, now, "您不能取消定时发布。");
        var old = PublishedAt!.Value;
        Status = ArticleStatus.Approved;
        PublishedAt = null;
        // A 下线时间 belonged to that publication; the next release sets its own.
        var offline = OfflineAt;
        (OfflineAt, WentOfflineAt) = (null, null);
        Record(ReviewAction.CancelSchedule, actor, now, offline is { } off
            ? $"原定 {ChinaTime.FormatDateTime(old)}，下线时间 {ChinaTime.FormatDateTime(off)} 一并取消"
            : $"原定 {ChinaTime.FormatDateTime(old)}");
    }

    /// <summary>立即发布 of a scheduled report: published now, with now as its time.</summary>
    public void PublishNow(Actor actor, DateTime now, TextStamp? text = null)
    {
        RequirePendingSchedule(actor, now, "您不能发布稿件。");
        RequireOutsideEmbargo(now);
        var old = PublishedAt!.Value;
        Publish(now);
        Record(ReviewAction.PublishNow, actor, now, $"原定 {ChinaTime.FormatDateTime(old)}", text: text);
    }

    // ---- 禁发 (embargo): a time before which the report may not go out, with a note for staff. ----

    /// <summary>Held by an embargo at <paramref name="now"/>.</summary>
    public bool IsEmbargoedAt(DateTime now) => EmbargoUntil is { } until && EnsureUtc(until) > EnsureUtc(now);

    /// <summary>
    /// 设定禁发: anyone who may edit the report, while readers have not seen it. A scheduled report keeps its time
    /// only if that is not before the embargo: the schedule is changed first.
    /// </summary>
    public void SetEmbargo(Actor actor, DateTime until, string? note, DateTime now)
    {
        Require(Status is not (ArticleStatus.Published or ArticleStatus.Withdrawn or ArticleStatus.Recycled)
            || IsPendingSchedule(now), "已发布的稿件不能再设定禁发。");
        Require(Status == ArticleStatus.Scheduled ? actor.IsEditorial : IsEditableBy(actor), "您不能为这篇稿件设定禁发。");
        var when = EnsureUtc(until);
        Require(when > EnsureUtc(now), "禁发时间须晚于现在。");
        Require(Status != ArticleStatus.Scheduled || EnsureUtc(PublishedAt!.Value) >= when,
            $"这篇稿件定于 {ChinaTime.FormatDateTime(PublishedAt ?? when)} 发布，早于禁发时间；请先改期。");
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Require(text is null || text.Length <= 500, "禁发说明不能超过 500 字。");
        var old = EmbargoUntil;
        EmbargoUntil = when;
        EmbargoNote = text;
        Record(ReviewAction.SetEmbargo, actor, now, old is { } before
            ? $"由 {ChinaTime.FormatDateTime(before)} 改为 {ChinaTime.FormatDateTime(when)}{(text is null ? "" : "：" + text)}"
            : $"禁发至 {ChinaTime.FormatDateTime(when)}{(text is null ? "" : "：" + text)}");
    }

    /// <summary>解除禁发: the report may go out at once (after review, as always).</summary>
    public void LiftEmbargo(Actor actor, DateTime now)
    {
        Require(EmbargoUntil is not null, "这篇稿件没有设定禁发。");
        Require(Status == ArticleStatus.Scheduled ? actor.IsEditorial : IsEditableBy(actor) || actor.IsEditorial, "您不能解除禁发。");
        var old = EmbargoUntil!.Value;
        EmbargoUntil = null;
        EmbargoNote = null;
        Record(ReviewAction.LiftEmbargo, actor, now, $"原禁发至 {ChinaTime.FormatDateTime(old)}");
    }

    private void RequireOutsideEmbargo(DateTime at)
    {
        if (EmbargoUntil is { } until && EnsureUtc(at) < EnsureUtc(until))
        {
            throw new WorkflowException($"稿件禁发至 {ChinaTime.FormatDateTime(until)}{(EmbargoNote is null ? "" : "（" + EmbargoNote + "）")}，不能在此之前发布。");
        }
    }

    // ---- 回收站: a report readers never saw can be deleted; it waits in the recycle bin and can be restored. ----

    /// <summary>
    /// Readers never saw it: in the newsroom (draft, in review, approved) or withdrawn before its minute. A report
    /// readers saw is withdrawn, never deleted.
    /// </summary>
    public bool CanBeRecycled => Status is ArticleStatus.Draft or ArticleStatus.Submitted or ArticleStatus.InReview
        or ArticleStatus.Approved || WasWithdrawnUnseen;

    /// <summary>删除 (to the recycle bin): the owner's own draft, or any such report by an editor.</summary>
    public void Recycle(Actor actor, DateTime now)
    {
        Require(CanBeRecycled, Status switch
        {
            ArticleStatus.Recycled => "这篇稿件已在回收站中。",
            // Readers have not seen it yet, but a time is set: taking that back is a step of its own, and recorded.
            ArticleStatus.Scheduled when PublishedAt is { } due && EnsureUtc(due) > EnsureUtc(now) => "定时发布的稿件请先取消定时，再删除。",
            _ => "读者看到过的稿件不能删除，只能撤稿。",
        });
        Require(actor.IsEditorial || (Status == ArticleStatus.Draft && IsEditableBy(actor)), "您不能删除这篇稿件。");
        var was = Status;
        ClearPending();
        Placements.Clear();
        Status = ArticleStatus.Recycled;
        RecycledAt = EnsureUtc(now);
        Record(ReviewAction.Recycle, actor, now, $"删除前：{StatusName(was)}");
    }

    /// <summary>恢复: back as a draft at level 0 (its review starts anew), for whoever may recycle it.</summary>
    public void Restore(Actor actor, DateTime now)
    {
        Require(Status == ArticleStatus.Recycled, "这篇稿件不在回收站中。");
        Require(actor.IsEditorial || (actor.IsIn(NewsRoles.Reporter) && OwnerId == actor.UserId), "您不能恢复这篇稿件。");
        ReturnToDraft();
        WithdrawalReason = null;
        WithdrawnAt = null;
        RecycledAt = null;
        Record(ReviewAction.Restore, actor, now);
    }

    /// <summary>In the recycle bin longer than <paramref name="retention"/>: the purge job deletes it for good.</summary>
    public bool IsPurgeDue(DateTime now, TimeSpan retention) =>
        Status == ArticleStatus.Recycled && RecycledAt is { } at && EnsureUtc(at) + retention <= EnsureUtc(now);

    private static string StatusName(ArticleStatus status) => status switch
    {
        ArticleStatus.Draft => "草稿",
        ArticleStatus.Submitted => "待审",
        ArticleStatus.InReview => "审核中",
        ArticleStatus.Approved => "已终审",
        ArticleStatus.Withdrawn => "已撤稿",
        _ => status.ToString(),
    };

    private void RequirePendingSchedule(Actor actor, DateTime now, string forbidden)
    {
        Require(Status == ArticleStatus.Scheduled, "这篇稿件不是定时发布的稿件。");
        Require(IsPendingSchedule(now), "这篇稿件已到发布时间，读者已能看到，不能再改期、取消或提前发布。");
        Require(actor.IsEditorial, forbidden);
    }

    /// <summary>
    /// Withdrawn before it ever became visible: withdrawn while scheduled, before its minute. Such a report can go back
    /// to draft; one that readers saw keeps its withdrawal notice for good.
    /// </summary>
    public bool WasWithdrawnUnseen =>
        Status == ArticleStatus.Withdrawn && WithdrawnAt is { } withdrawn && PublishedAt is { } due && EnsureUtc(withdrawn) < EnsureUtc(due);

    /// <summary>
    /// 退回草稿 of a report withdrawn before readers saw it: a draft again at level 0, so it goes through every review
    /// level anew (the passes were for the text that was withdrawn), with no time and no withdrawal; the owner may edit
    /// and submit it. The history keeps the withdrawal and its reason; a correction note stays, as on any report.
    /// </summary>
    public void ReturnToDraft(Actor actor, DateTime now, string? note = null)
    {
        Require(Status == ArticleStatus.Withdrawn, "只有已撤稿的稿件可以退回草稿。");
        Require(WasWithdrawnUnseen, "这篇稿件曾向读者发布，撤稿后不能退回草稿。");
        Require(actor.IsEditorial, "您不能把稿件退回草稿。");
        ReturnToDraft();
        WithdrawalReason = null;
        WithdrawnAt = null;
        Record(ReviewAction.ReturnToDraft, actor, now, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    public void Withdraw(Actor actor, string reason, DateTime now)
    {
        Require(Status is ArticleStatus.Published or ArticleStatus.Scheduled, "只有已发布或定时发布的稿件可以撤稿。");
        Require(actor.IsEditorial, "您不能撤稿。");
        Require(!string.IsNullOrWhiteSpace(reason), "撤稿须填写理由。");
        Withdraw();
        ClearPending(); // the pending version stays in the history; there is no reviewed text left for it to replace
        // A withdrawal ends the publication a 下线时间 was planned for (the plan stays in the history).
        (OfflineAt, WentOfflineAt) = (null, null);
        WithdrawalReason = reason.Trim();
        WithdrawnAt = EnsureUtc(now);
        Record(ReviewAction.Withdraw, actor, now, WithdrawalReason);
    }

    public void RecordCreation(Actor actor, DateTime now) => Record(ReviewAction.Create, actor, now);

    /// <summary>
    /// An article in review was edited in place: the levels it passed were for other text, so its review starts
    /// again at the first level. False when nothing had been passed yet.
    /// </summary>
    public bool RestartReview(Actor actor, DateTime now)
    {
        if (Status != ArticleStatus.InReview)
        {
            return false;
        }
        Status = ArticleStatus.Submitted;
        ReviewLevel = 0;
        Record(ReviewAction.ReviewRestarted, actor, now);
        return true;
    }

    /// <summary>Whether <paramref name="userId"/> has passed a level of the article since it was last submitted or restarted.</summary>
    public bool PassedThisRound(string userId) => PassedSinceSubmission().Any(r => r.UserId == userId);

    private IEnumerable<ArticleReview> PassedSinceSubmission() =>
        PassesSince(ReviewAction.Pass, ReviewAction.Submit, ReviewAction.ReviewRestarted);

    /// <summary>
    /// The passes recorded after the last of <paramref name="starts"/>, in the order the records were written (saved
    /// ones by id, new ones last): two records of one instant are still one before the other.
    /// </summary>
    private IEnumerable<ArticleReview> PassesSince(ReviewAction pass, params ReviewAction[] starts)
    {
        var ordered = Reviews.Select((r, i) => (Review: r, Index: i))
            .OrderBy(x => x.Review.Id == 0 ? long.MaxValue : x.Review.Id).ThenBy(x => x.Index)
            .Select(x => x.Review).ToList();
        var start = ordered.FindLastIndex(r => starts.Contains(r.Action));
        return ordered.Skip(start + 1).Where(r => r.Action == pass);
    }

    // ---- The pending version's own review: 送审, levels passed by others than its authors, then applied. ----

    /// <summary>
    /// An edit of an article that keeps its reviewed text was saved as revision <paramref name="revision"/>: it becomes
    /// (or replaces) the pending version. A change that had passed levels starts its review again: they were for other text.
    /// </summary>
    public void StageChange(Actor? actor, int revision, DateTime now)
    {
        Require(KeepsReviewedText, "这篇稿件尚未通过审核，修改直接保存在稿件上。");
        PendingRevision = revision;
        switch (PendingState)
        {
            case ChangeState.None:
                PendingSince = revision;
                PendingState = ChangeState.Draft;
                PendingReviewLevel = 0;
                Record(ReviewAction.ChangeStarted, actor, now, $"第 {revision} 版");
                break;
            case ChangeState.InReview when PendingReviewLevel > 0:
                PendingReviewLevel = 0;
                Record(ReviewAction.ChangeRestarted, actor, now, $"第 {revision} 版");
                break;
        }
    }

    public void SubmitChange(Actor actor, DateTime now)
    {
        Require(PendingState == ChangeState.Draft, "没有待送审的修改。");
        Require(IsEditableBy(actor), "您不能送审这项修改。");
        PendingState = ChangeState.InReview;
        PendingReviewLevel = 0;
        Record(ReviewAction.ChangeSubmitted, actor, now, $"第 {PendingRevision} 版");
    }

    /// <summary>
    /// Passes the pending version's next level. <paramref name="authors"/> are the people who wrote it: none of them
    /// may pass it. True when this was its last level: the caller applies its text and then calls <see cref="ApplyChange"/>.
    /// </summary>
    public bool PassChange(Actor actor, int levels, int fullLevels, IReadOnlyCollection<string> authors, DateTime now, string? note = null,
        TextStamp? text = null)
    {
        Require(PendingState == ChangeState.InReview, "这项修改不在审核中。");
        var level = PendingReviewLevel + 1;
        Require(ReviewLevels.CanPassChange(actor, level, levels, fullLevels), $"您没有审核修改（{ReviewLevels.Name(level)}）的权限。");
        Require(!authors.Contains(actor.UserId), "修改须由修改人以外的人审核。");
        Require(!ChangePassedThisRound(actor.UserId), "同一人不能在两个审核级别通过同一项修改。");
        PendingReviewLevel = level;
        Record(ReviewAction.ChangePassed, actor, now, note, level, text);
        return level >= levels;
    }

    public bool ChangePassedThisRound(string userId) =>
        PassesSince(ReviewAction.ChangePassed, ReviewAction.ChangeSubmitted, ReviewAction.ChangeRestarted).Any(r => r.UserId == userId);

    /// <summary>
    /// The pending version passed its last level and its text is now this article's (the caller copied it): readers
    /// see it from the next request. A 更正 note that came with it is shown from now on.
    /// </summary>
    public void ApplyChange(Actor actor, string? correctionNote, DateTime now, TextStamp? text = null)
    {
        Require(PendingState == ChangeState.InReview && PendingReviewLevel > 0, "这项修改尚未通过审核。");
        var revision = PendingRevision;
        if (!string.IsNullOrWhiteSpace(correctionNote) && correctionNote.Trim() != CorrectionNote)
        {
            CorrectionNote = correctionNote.Trim();
            CorrectedAt = EnsureUtc(now);
        }
        ClearPending();
        Record(ReviewAction.ChangeApplied, actor, now, $"第 {revision} 版", text: text);
    }

    public void SendBackChange(Actor actor, string reason, DateTime now)
    {
        Require(PendingState == ChangeState.InReview, "这项修改不在审核中。");
        Require(actor.IsEditorial, "您不能退回修改。");
        Require(!string.IsNullOrWhiteSpace(reason), "退回修改须填写理由。");
        PendingState = ChangeState.Draft;
        PendingReviewLevel = 0;
        Record(ReviewAction.ChangeSentBack, actor, now, reason.Trim());
    }

    /// <summary>放弃修改: readers keep the reviewed text; the pending version stays in the history and can be restored.</summary>
    public void DiscardChange(Actor actor, DateTime now)
    {
        Require(HasPendingChange, "没有待审的修改。");
        Require(actor.IsEditorial, "您不能放弃这项修改。");
        var revision = PendingRevision;
        ClearPending();
        Record(ReviewAction.ChangeDiscarded, actor, now, $"第 {revision} 版（保留在历史版本中）");
    }

    /// <summary>
    /// A scheduled report whose text the word gate refused at its minute (a word listed after it was scheduled) is
    /// held back: approved again with no time, so an editor can fix and schedule it.
    /// </summary>
    public void HoldSchedule(string reason, DateTime now)
    {
        Require(Status == ArticleStatus.Scheduled, "这篇稿件不是定时发布的稿件。");
        var old = PublishedAt;
        Status = ArticleStatus.Approved;
        PublishedAt = null;
        Record(ReviewAction.ScheduleHeld, null, now,
            $"原定 {(old is { } o ? ChinaTime.FormatDateTime(o) : "")}；{reason}");
    }

    private void ClearPending()
    {
        PendingSince = null;
        PendingRevision = null;
        PendingState = ChangeState.None;
        PendingReviewLevel = 0;
    }

    private void Record(ReviewAction action, Actor? actor, DateTime now, string? note = null, int level = 0, TextStamp? text = null) =>
        Reviews.Add(new ArticleReview
        {
            Action = action,
            Level = level,
            UserId = actor?.UserId,
            UserName = actor?.Name ?? "系统",
            At = EnsureUtc(now),
            Note = note,
            TextSha256 = text?.Sha256,
            RevisionNumber = text?.RevisionNumber,
        });

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new WorkflowException(message);
        }
    }

    public bool IsVisibleAt(DateTime now) => IsVisible(Status, PublishedAt, OfflineAt, now);

    /// <summary>The visibility rule for a projection that holds only the status and the times.</summary>
    public static bool IsVisible(ArticleStatus status, DateTime? publishedAt, DateTime? offlineAt, DateTime now) =>
        status is ArticleStatus.Published or ArticleStatus.Scheduled && publishedAt is { } at && at <= EnsureUtc(now)
        && (offlineAt is not { } off || EnsureUtc(off) > EnsureUtc(now));

    public bool IsWithdrawn => Status == ArticleStatus.Withdrawn;

    /// <summary>
    /// The rule of <see cref="IsVisibleAt"/> as a query expression: published (or scheduled) and due, and its 下线时间
    /// not come. A scheduled article appears at its minute, and an expiring one goes at its minute, even if the
    /// newsroom's job runs late.
    /// </summary>
    public static Expression<Func<Article, bool>> VisibleAt(DateTime now)
    {
        var utc = EnsureUtc(now);
        return a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled)
            && a.PublishedAt != null && a.PublishedAt <= utc
            && (a.OfflineAt == null || a.OfflineAt > utc);
    }

    private static DateTime EnsureUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
