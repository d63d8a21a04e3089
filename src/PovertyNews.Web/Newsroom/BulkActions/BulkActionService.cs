using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Newsroom.BulkActions;

/// <summary>
/// 批量操作: applies one action to each selected report on its own, as the report's own page would — the access policy
/// and the domain rules decide for each, so a selection mixing allowed and refused reports does what is allowed and
/// says, per report, why the rest was not done. Nothing is all-or-nothing.
/// </summary>
/// <remarks>
/// Each report goes through the pipeline its page uses, and so is saved, audited, re-indexed and evicted from the
/// caches by it: 撤稿 and 删除 are workflow steps (<see cref="WorkflowService"/>); a new channel or tag is a save of the
/// editor (<see cref="ArticleEditor"/>). The channel and the tags are part of the text that passes review (they are in
/// the 稿签's hash), so for a report whose text has passed review the editor saves the change as a pending version,
/// exactly as when the channel is changed in the form; the bulk action then sends that change to review (修改送审),
/// and it reaches readers only once it passes.
/// </remarks>
public sealed class BulkActionService(
    NewsDbContext db,
    WorkflowService workflow,
    ArticleEditor editor,
    ArticleAccess access,
    AuditLog audit,
    ILogger<BulkActionService> logger)
{
    /// <summary>At most this many reports per action: each is its own unit of work, and the request must end in time.</summary>
    public const int MaxBatch = 200;

    /// <summary>The channels the action bar offers, labelled with their paths.</summary>
    public Task<IReadOnlyList<ChannelOption>> ChannelsAsync(CancellationToken ct) => editor.ChannelOptionsAsync(ct);

    public async Task<Result<BulkReport>> ApplyAsync(BulkRequest request, Actor actor, CancellationToken ct)
    {
        var ids = request.Ids.Distinct().ToList();
        if (await RefusalAsync(request, ids, ct) is { } refusal)
        {
            return Result.Refused(refusal).As<BulkReport>();
        }
        var action = request.Action!.Value;
        var tag = request.Tag?.Trim();
        var reason = request.Reason?.Trim();
        var items = new List<BulkItem>(ids.Count);
        foreach (var id in ids)
        {
            BulkItem item;
            try
            {
                item = await ApplyOneAsync(id, action, request.ChannelId, tag, reason, actor, ct);
            }
            catch (WorkflowException e)
            {
                item = new BulkItem(id, null, BulkOutcome.Refused, e.Message);
            }
            finally
            {
                // Each report is its own unit of work: nothing one left tracked may ride along with the next one's save.
                db.ChangeTracker.Clear();
            }
            items.Add(item);
        }
        var report = BulkReport.Of(action, items);
        var channelName = action == BulkAction.Move
            ? await db.Channels.AsNoTracking().Where(c => c.Id == request.ChannelId).Select(c => c.Name).SingleOrDefaultAsync(ct)
            : null;
        audit.Add(AuditActions.ArticlesBulk, null, $"{Describe(action, channelName, tag)}：选中 {ids.Count} 篇，{report.Summary}"
            + (report.Refused > 0
                ? $" 未处理：{string.Join("、", items.Where(i => i.Outcome == BulkOutcome.Refused).Select(i => i.Id))}"
                : ""));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Bulk {BulkAction} by {UserId} over {Count} reports: {Done} done, {Staged} staged, {Unchanged} unchanged, {Refused} refused",
            action, actor.UserId, ids.Count, report.Done, report.Staged, report.Unchanged, report.Refused);
        return Result<BulkReport>.Done(report, report.Summary);
    }

    private async Task<string?> RefusalAsync(BulkRequest request, List<int> ids, CancellationToken ct)
    {
        if (request.Action is not { } action || !Enum.IsDefined(action))
        {
            return "请选择要进行的批量操作。";
        }
        if (ids.Count == 0)
        {
            return "请先勾选要处理的稿件。";
        }
        if (ids.Count > MaxBatch)
        {
            return $"一次最多处理 {MaxBatch} 篇稿件，您选了 {ids.Count} 篇；请缩小范围后分批处理。";
        }
        return action switch
        {
            BulkAction.Move when request.ChannelId is not { } channel || !await db.Channels.AnyAsync(c => c.Id == channel, ct) =>
                "请选择要移动到的栏目。",
            BulkAction.AddTag or BulkAction.RemoveTag when string.IsNullOrWhiteSpace(request.Tag) => "请填写标签。",
            BulkAction.AddTag or BulkAction.RemoveTag => ArticleRules.TagNameProblem(request.Tag!.Trim()),
            BulkAction.Withdraw when string.IsNullOrWhiteSpace(request.Reason) => "撤稿须填写理由。",
            BulkAction.Withdraw when request.Reason!.Trim().Length > WorkflowService.NoteMaxLength =>
                $"撤稿理由不能超过 {WorkflowService.NoteMaxLength} 个字。",
            _ => null,
        };
    }

    private async Task<BulkItem> ApplyOneAsync(int id, BulkAction action, int? channelId, string? tag, string? reason, Actor actor,
        CancellationToken ct)
    {
        var article = await workflow.FindAsync(id, actor, ct);
        if (article is null)
        {
            return new BulkItem(id, null, BulkOutcome.Refused, "找不到这篇稿件，或您无权查看。");
        }
        if (action is BulkAction.Withdraw or BulkAction.Recycle)
        {
            var step = action == BulkAction.Withdraw ? WorkflowStep.Withdraw : WorkflowStep.Recycle;
            var result = await workflow.ApplyAsync(article, actor, step, article.Version, reason, null, ct);
            return Item(article, result.Succeeded ? BulkOutcome.Done : BulkOutcome.Refused, result);
        }
        var allowed = await access.AuthorizeAsync(actor, ArticleFacts.Of(article), ArticleOperations.Edit);
        if (!allowed.Succeeded)
        {
            return new BulkItem(id, article.Title, BulkOutcome.Refused, ArticleAccess.ReasonOf(allowed) ?? article.Status switch
            {
                ArticleStatus.Withdrawn => "已撤稿的稿件不能修改。",
                ArticleStatus.Recycled => "回收站中的稿件不能修改。",
                _ => "您不能修改这篇稿件。",
            });
        }
        // The text as it stands: the pending version when there is one, so the change adds to it rather than undoing it.
        var input = await editor.PendingInputAsync(article, ct) ?? editor.InputFor(article);
        var tags = input.TagList().ToList();
        string? nothing = action switch
        {
            BulkAction.Move when input.ChannelId == channelId => "已在该栏目。",
            BulkAction.AddTag when tags.Contains(tag!, StringComparer.Ordinal) => "已有该标签。",
            BulkAction.RemoveTag when !tags.Remove(tag!) => "没有该标签。",
            _ => null,
        };
        if (nothing is not null)
        {
            return new BulkItem(id, article.Title, BulkOutcome.Unchanged, nothing);
        }
        if (action == BulkAction.Move)
        {
            input.ChannelId = channelId;
        }
        else if (action == BulkAction.AddTag)
        {
            tags.Add(tag!);
        }
        input.Tags = ArticleInput.JoinTags(tags);
        var reviewed = article.KeepsReviewedText;
        var saved = await editor.SaveAsync(article, input, actor, SaveKind.Manual, ct);
        if (saved.Kind == ResultKind.Unchanged)
        {
            return Item(article, BulkOutcome.Unchanged, saved);
        }
        if (!saved.Succeeded || !reviewed)
        {
            return Item(article, saved.Succeeded ? BulkOutcome.Done : BulkOutcome.Refused, saved);
        }
        if (article.PendingState != ChangeState.Draft)
        {
            return new BulkItem(id, article.Title, BulkOutcome.Staged, null); // added to a change already in review
        }
        var submitted = await workflow.ApplyAsync(article, actor, WorkflowStep.SubmitChange, article.Version, null, null, ct);
        return submitted.Succeeded
            ? new BulkItem(id, article.Title, BulkOutcome.Staged, null)
            : new BulkItem(id, article.Title, BulkOutcome.Refused,
                "修改已保存为待审修改，但送审未成功：" + string.Join(" ", submitted.Messages));
    }

    private static BulkItem Item(Article article, BulkOutcome outcome, Result result) =>
        new(article.Id, article.Title, outcome, outcome == BulkOutcome.Done ? null : string.Join(" ", result.Messages));

    private static string Describe(BulkAction action, string? channel, string? tag) => action switch
    {
        BulkAction.Move => $"批量移动到栏目“{channel}”",
        BulkAction.AddTag => $"批量添加标签“{tag}”",
        BulkAction.RemoveTag => $"批量移除标签“{tag}”",
        BulkAction.Withdraw => "批量撤稿",
        _ => "批量删除（移入回收站）",
    };
}
