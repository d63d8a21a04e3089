using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>One level passed: who, when, their opinion, and the hash of the text they passed (null before the 稿签 existed).</summary>
public sealed record ApprovalPass(int Level, string UserName, DateTime At, string? Opinion, string? Sha256, int? RevisionNumber)
{
    /// <summary>Whether the level before this one in the same cycle passed the same text; null when either hash is missing.</summary>
    public bool? SameAsPrevious { get; init; }
}

/// <summary>One 送审 and what followed until the next: the levels passed, and the 退回 that ended it, if any.</summary>
public sealed record ApprovalCycle(int Number, DateTime SubmittedAt, string SubmittedBy, IReadOnlyList<ApprovalPass> Passes,
    ArticleReview? SentBack, bool Complete)
{
    /// <summary>The review of a pending version (an edit of reviewed text) rather than of the report itself.</summary>
    public bool IsChange { get; init; }

    /// <summary>Opened by an edit during review (修改后重新审核) rather than by a 送审.</summary>
    public bool IsRestart { get; init; }
}

/// <summary>A step after approval — 发布, 定时发布, 到时发布, 更正, 撤稿 … — with the hash of what went out where one was taken.</summary>
public sealed record ApprovalEvent(ReviewAction Action, string Name, string UserName, DateTime At, string? Note, string? Sha256, int? RevisionNumber);

public enum ApprovalVerdict
{
    /// <summary>No cycle passed every level.</summary>
    NotApproved,

    /// <summary>The last level was passed before passes recorded a hash.</summary>
    Unrecorded,
    Equal,
    Differs,
}

/// <summary>
/// The statement at the foot of the 稿签: the text stored now against the text passed at the last level of the latest
/// complete cycle, with the differences when they disagree.
/// </summary>
public sealed record ApprovalStatement(ApprovalVerdict Verdict, ApprovalPass? FinalPass, string CurrentSha256, bool IsPublic,
    DiffTable? Diff = null, string? DiffNote = null, bool CorrectedSince = false);

/// <summary>Everything the 稿签 page prints for one article.</summary>
public sealed record ApprovalRecord(string SiteName, int ArticleId, string Title, string? ChannelName, string? Author,
    string Source, string? ReprintedFrom, string? ResponsibleEditor, string? OwnerName, string StatusLabel, int Levels,
    DateTime PrintedAt, IReadOnlyList<ApprovalCycle> Cycles, IReadOnlyList<ApprovalEvent> Releases, ApprovalStatement Statement)
{
    /// <summary>How many levels a change of reviewed text passes (PovertyNews:Newsroom:ChangeReviewLevels).</summary>
    public int ChangeLevels { get; init; } = Levels;
}

/// <summary>Builds the 稿签 (approval record) of an article from its review records, its revisions and its stored text.</summary>
public sealed class ApprovalRecordBuilder(NewsDbContext db, TimeProvider time, IOptions<NewsroomOptions> options, ArticleAccess access)
{
    /// <summary>Null when the article does not exist or this person may not see its review page.</summary>
    public async Task<ApprovalRecord?> BuildAsync(int id, Actor actor, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().AsSplitQuery()
            .Include(a => a.Channel).Include(a => a.Tags).Include(a => a.Reviews)
            .SingleOrDefaultAsync(a => a.Id == id, ct);
        // Whoever may view the article's review page may view its record.
        if (article is null || !await access.MayAsync(actor, article, ArticleOperations.View))
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var levels = options.Value.ReviewLevels;
        var siteName = await db.SiteSettings.AsNoTracking().Select(s => s.SiteName).FirstOrDefaultAsync(ct) ?? new SiteSettings().SiteName;
        var ownerName = article.OwnerId is null ? null
            : await db.Users.Where(u => u.Id == article.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        var (cycles, releases) = Split(article.Reviews.OrderBy(r => r.At).ThenBy(r => r.Id), levels, options.Value.EffectiveChangeReviewLevels);
        var statement = await StatementAsync(article, cycles, releases, now, ct);
        return new ApprovalRecord(siteName, article.Id, article.Title, article.Channel?.Name, article.Author,
            article.Source ?? siteName, article.ReprintedFrom, article.ResponsibleEditor, ownerName,
            WorkflowSteps.StatusLabel(article.Status, article.ReviewLevel), levels, now, cycles, releases, statement)
        {
            ChangeLevels = options.Value.EffectiveChangeReviewLevels,
        };
    }

    /// <summary>
    /// Each 送审 (of the report or of a pending version) opens a cycle, and so does an edit that restarts a review;
    /// passes and a 退回 belong to the open one; the rest are steps after approval.
    /// </summary>
    internal static (List<ApprovalCycle> Cycles, List<ApprovalEvent> Releases) Split(IEnumerable<ArticleReview> reviews, int levels,
        int changeLevels = int.MaxValue)
    {
        var cycles = new List<ApprovalCycle>();
        var releases = new List<ApprovalEvent>();
        foreach (var r in reviews)
        {
            switch (r.Action)
            {
                case ReviewAction.Create:
                    break;
                case ReviewAction.Submit or ReviewAction.ChangeSubmitted or ReviewAction.ReviewRestarted or ReviewAction.ChangeRestarted:
                    cycles.Add(new ApprovalCycle(cycles.Count + 1, r.At, r.UserName, [], null, false)
                    {
                        IsChange = r.Action is ReviewAction.ChangeSubmitted or ReviewAction.ChangeRestarted,
                        IsRestart = r.Action is ReviewAction.ReviewRestarted or ReviewAction.ChangeRestarted,
                    });
                    break;
                case ReviewAction.Pass or ReviewAction.ChangePassed when cycles.Count > 0:
                    var open = cycles[^1];
                    var previous = open.Passes.LastOrDefault();
                    var pass = new ApprovalPass(r.Level, r.UserName, r.At, r.Note, r.TextSha256, r.RevisionNumber)
                    {
                        SameAsPrevious = previous?.Sha256 is { } before && r.TextSha256 is { } after ? before == after : null,
                    };
                    cycles[^1] = open with { Passes = [.. open.Passes, pass], Complete = r.Level >= (open.IsChange ? changeLevels : levels) };
                    break;
                case ReviewAction.SendBack or ReviewAction.ChangeSentBack when cycles.Count > 0:
                    cycles[^1] = cycles[^1] with { SentBack = r, Complete = false };
                    break;
                default:
                    // A release proves the cycle passed every level, whatever the number of levels is set to today.
                    if (r.Action is ReviewAction.Publish or ReviewAction.Schedule or ReviewAction.ChangeApplied
                        && cycles.Count > 0 && cycles[^1].SentBack is null)
                    {
                        cycles[^1] = cycles[^1] with { Complete = true };
                    }
                    releases.Add(new ApprovalEvent(r.Action, ArticleReview.ActionName(r.Action, r.Level), r.UserName, r.At, r.Note,
                        r.TextSha256, r.RevisionNumber));
                    break;
            }
        }
        return (cycles, releases);
    }

    private async Task<ApprovalStatement> StatementAsync(Article article, List<ApprovalCycle> cycles, List<ApprovalEvent> releases,
        DateTime now, CancellationToken ct)
    {
        var current = ApprovalText.Of(article).Sha256();
        var isPublic = article.IsVisibleAt(now);
        var final = cycles.LastOrDefault(c => c.Complete)?.Passes.MaxBy(p => p.Level);
        if (final is null)
        {
            return new ApprovalStatement(ApprovalVerdict.NotApproved, null, current, isPublic);
        }
        if (final.Sha256 is null)
        {
            return new ApprovalStatement(ApprovalVerdict.Unrecorded, final, current, isPublic);
        }
        if (final.Sha256 == current)
        {
            return new ApprovalStatement(ApprovalVerdict.Equal, final, current, isPublic);
        }

        var corrected = releases.Any(e => e.Action == ReviewAction.Correct && e.At >= final.At);
        var revision = final.RevisionNumber is { } number
            ? await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ArticleId == article.Id && r.Number == number, ct)
            : null;
        if (revision is null)
        {
            return new ApprovalStatement(ApprovalVerdict.Differs, final, current, isPublic, null,
                "审核时的文本没有保存为历史版本，无法列出差异。", corrected);
        }
        var channels = await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        string ChannelName(int? id) => id is { } key && channels.TryGetValue(key, out var name) ? name : "—";
        var passed = ArticleInput.FromRevision(revision);
        passed.CorrectionNote = null; // shown by WithCorrection below, as on the other side
        passed.Kind = article.Kind;
        passed.VideoUrl = revision.VideoUrl;
        passed.VideoPosterUrl = revision.VideoPosterUrl;
        // ArticleText leaves out the 更正, which is part of the hashed text; it leads the lines when either side has one.
        var withCorrection = revision.CorrectionNote is not null || article.CorrectionNote is not null;
        var diff = TextDiff.SideBySide(
            WithCorrection(ArticleText.Of(passed, ChannelName, withKind: true), revision.CorrectionNote, withCorrection),
            WithCorrection(ArticleText.Of(ArticleInput.From(article), ChannelName, withKind: true), article.CorrectionNote, withCorrection));
        // The revision is the best copy of the passed text there is, but only its hash proves it is that text.
        var note = ApprovalText.Of(revision).Sha256() == final.Sha256 ? null
            : $"第 {revision.Number} 版与{ReviewLevels.Name(final.Level)}时记录的摘要不一致（审核时的文本可能未保存为版本），以下差异仅供参考。";
        return new ApprovalStatement(ApprovalVerdict.Differs, final, current, isPublic,
            new DiffTable(diff, $"{ReviewLevels.Name(final.Level)}通过的文本（第 {revision.Number} 版）", "现在的文本"), note, corrected);
    }

    private static string WithCorrection(string text, string? correction, bool shown) => shown ? $"更正：{correction}\n{text}" : text;
}
