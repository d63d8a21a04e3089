using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Comments;

/// <summary>
/// 留言: a reader posts under a visible report; the comment is held for review (先审后发) unless the report's channel
/// has review turned off and the sensitive-word list flagged nothing. Moderators approve, reject, reply (编辑回复) and
/// delete; they close a report's comments and turn review off per channel. Moderators' actions are audited under
/// comment:{id} / article:{id} / channel:{id}; reader posts are only logged (the audit log is the staff's record).
/// The saves evict the report's page through <see cref="Caching.CacheEvictionInterceptor"/>.
/// </summary>
public sealed class CommentService(
    NewsDbContext db, TextScreening screening, CommentFormStamp stamps, ClientHasher hasher, AuditLog audit,
    TimeProvider time, IOptions<CommentOptions> options, ILogger<CommentService> logger)
{
    /// <summary>The neutral refusal for a bot's post: it names no check, so a script learns nothing from it.</summary>
    public const string NeutralRefusal = "留言未能提交，请返回文章页面重新填写后再试。";

    /// <summary>Shown with the comment kept when the form came without a stamp (the report page without its script).</summary>
    public const string ConfirmPrompt = "请确认留言内容，再点一次“提交留言”。";

    /// <summary>
    /// A reader's (or, with <paramref name="staff"/>, a signed-in staff member's) comment. <paramref name="staff"/> must
    /// only be passed when the request proved it came from our own form (antiforgery): see the README.
    /// </summary>
    public async Task<Result<PostedComment>> PostAsync(int articleId, CommentInput input, IPAddress? address, ClaimsPrincipal? staff,
        CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(a => new { a.Status, a.PublishedAt, a.OfflineAt, a.CommentsClosed, a.ChannelId })
            .SingleOrDefaultAsync(ct);
        if (!settings.Enabled || article is null || !Article.IsVisible(article.Status, article.PublishedAt, article.OfflineAt, now))
        {
            return Result.NotFound("没有这篇文章。").As<PostedComment>();
        }
        if (article.CommentsClosed)
        {
            return Result.Refused("本文已关闭留言。", StatusCodes.Status403Forbidden).As<PostedComment>();
        }
        if (!string.IsNullOrEmpty(input.Website))
        {
            logger.LogInformation("Comment on article {ArticleId} refused: the honeypot field was filled", articleId);
            return Result.Refused(NeutralRefusal).As<PostedComment>();
        }
        switch (stamps.Check(input.Stamp))
        {
            case CommentFormStamp.Verdict.Missing when string.IsNullOrEmpty(input.Stamp):
                // The report page's form without its script: the form page shows the comment again with a stamp of
                // its own, and the reader sends it with a second click.
                logger.LogInformation("Comment on article {ArticleId} held for confirmation: the form had no stamp", articleId);
                return Result.Refused(ConfirmPrompt).As<PostedComment>();
            case CommentFormStamp.Verdict.Missing:
                logger.LogInformation("Comment on article {ArticleId} refused: no valid form stamp", articleId);
                return Result.Refused(NeutralRefusal).As<PostedComment>();
            case CommentFormStamp.Verdict.TooFast:
                logger.LogInformation("Comment on article {ArticleId} refused: posted too soon after the form was rendered", articleId);
                return Result.Refused("提交太快了，请稍等几秒后再提交。").As<PostedComment>();
            case CommentFormStamp.Verdict.Expired:
                return Result.Refused("页面停留时间过长，请刷新文章页面后重新提交。").As<PostedComment>();
        }

        input.Normalize();
        var errors = new List<InputError>();
        if (string.IsNullOrEmpty(input.Body))
        {
            errors.Add(new(nameof(CommentInput.Body), "请填写留言内容。"));
        }
        else if (input.Body.Length > Comment.MaxBodyLength)
        {
            errors.Add(new(nameof(CommentInput.Body), $"留言不能超过 {Comment.MaxBodyLength} 个字（现有 {input.Body.Length} 个）。"));
        }
        if (input.Name is { Length: > Comment.MaxNameLength })
        {
            errors.Add(new(nameof(CommentInput.Name), $"昵称不能超过 {Comment.MaxNameLength} 个字。"));
        }
        if (input.Name is not null && input.Name.Any(char.IsControl))
        {
            errors.Add(new(nameof(CommentInput.Name), "昵称不能含有控制字符。"));
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors).As<PostedComment>();
        }

        ScreenedText[] texts =
        [
            new(nameof(CommentInput.Body), "留言内容", IsMarkdown: false, Multiline: true, input.Body),
            new(nameof(CommentInput.Name), "昵称", IsMarkdown: false, Multiline: false, input.Name),
        ];
        var report = await screening.ScreenAsync(texts, ct);
        if (report.IsBlocked)
        {
            logger.LogInformation("Comment on article {ArticleId} refused: blocked words {Words}", articleId, report.BlockedWords);
            var fields = report.Blocked.GroupBy(h => h.Field).Select(g => new InputError(g.Key,
                $"{g.First().FieldLabel}含有不允许使用的词语{string.Join("、", g.Select(h => $"“{h.Word}”").Distinct(StringComparer.Ordinal))}，请修改后再提交。"));
            return Result.Refused([.. fields]).As<PostedComment>();
        }

        var hash = hasher.Hash(address);
        var since = now - settings.RateWindow;
        if (await db.Comments.CountAsync(c => c.ClientHash == hash && c.CreatedAt > since, ct) >= settings.RateLimit)
        {
            logger.LogInformation("Comment on article {ArticleId} refused: client {ClientHash} reached the rate limit", articleId, hash[..12]);
            return Result.Refused($"留言太频繁了，请 {Math.Max(1, (int)Math.Ceiling(settings.RateWindow.TotalMinutes))} 分钟后再试。",
                StatusCodes.Status429TooManyRequests).As<PostedComment>();
        }

        var (_, replaced) = await screening.ReplaceAsync(texts, ct);
        var flagged = report.Flagged.Select(h => h.Word).Distinct(StringComparer.Ordinal).ToList();
        var withoutReview = flagged.Count == 0 && await db.Channels.AnyAsync(c => c.Id == article.ChannelId && c.CommentsWithoutReview, ct);
        var staffId = staff?.FindFirstValue(ClaimTypes.NameIdentifier);
        var comment = new Comment
        {
            ArticleId = articleId,
            AuthorName = replaced[1],
            Body = replaced[0]!,
            Status = withoutReview ? CommentStatus.Approved : CommentStatus.Pending,
            CreatedAt = now,
            UserId = staffId,
            ClientHash = hash,
            FlaggedWords = flagged.Count == 0 ? null : Truncate(string.Join("、", flagged), 500),
        };
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Comment {CommentId} on article {ArticleId} posted ({Status}; flagged {Flagged}; staff {UserId})",
            comment.Id, articleId, comment.Status, comment.FlaggedWords, staffId);
        return Result<PostedComment>.Done(new(comment.Id, withoutReview),
            withoutReview ? "留言已发表。" : "留言已提交，将在审核后显示。");
    }

    public Task<Result> ApproveAsync(long id, ClaimsPrincipal moderator, CancellationToken ct) =>
        ModerateAsync(id, CommentStatus.Approved, moderator, ct);

    public Task<Result> RejectAsync(long id, ClaimsPrincipal moderator, CancellationToken ct) =>
        ModerateAsync(id, CommentStatus.Rejected, moderator, ct);

    /// <summary>Approves every pending comment among <paramref name="ids"/>; the others are left as they are.</summary>
    public async Task<Result> ApproveManyAsync(IReadOnlyCollection<long> ids, ClaimsPrincipal moderator, CancellationToken ct)
    {
        var list = ids.Distinct().Take(200).ToList();
        var pending = await db.Comments.Where(c => list.Contains(c.Id) && c.Status == CommentStatus.Pending).ToListAsync(ct);
        if (pending.Count == 0)
        {
            return Result.Unchanged("没有选中待审的留言。");
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var comment in pending)
        {
            comment.Status = CommentStatus.Approved;
            comment.ModeratedAt = now;
            comment.ModeratedBy = NameOf(moderator);
            audit.Add(AuditActions.CommentApproved, Target(comment.Id), $"文章 {comment.ArticleId}：{Excerpt(comment.Body)}");
        }
        await db.SaveChangesAsync(ct);
        return Result.Done($"已通过 {pending.Count} 条留言。");
    }

    private async Task<Result> ModerateAsync(long id, CommentStatus status, ClaimsPrincipal moderator, CancellationToken ct)
    {
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null)
        {
            return Result.NotFound("没有这条留言。");
        }
        if (comment.Status == status)
        {
            return Result.Unchanged(status == CommentStatus.Approved ? "这条留言已经通过。" : "这条留言已经拒绝。");
        }
        comment.Status = status;
        comment.ModeratedAt = time.GetUtcNow().UtcDateTime;
        comment.ModeratedBy = NameOf(moderator);
        audit.Add(status == CommentStatus.Approved ? AuditActions.CommentApproved : AuditActions.CommentRejected, Target(id),
            $"文章 {comment.ArticleId}：{Excerpt(comment.Body)}");
        await db.SaveChangesAsync(ct);
        return Result.Done(status == CommentStatus.Approved ? "留言已通过，读者现在可以看到。" : "留言已拒绝。");
    }

    /// <summary>编辑回复: set, changed, or removed with an empty text. Shown under the comment once it is approved.</summary>
    public async Task<Result> ReplyAsync(long id, string? reply, ClaimsPrincipal moderator, CancellationToken ct)
    {
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null)
        {
            return Result.NotFound("没有这条留言。");
        }
        reply = string.IsNullOrWhiteSpace(reply) ? null : reply.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (reply is { Length: > Comment.MaxReplyLength })
        {
            return Result.Refused(new InputError("Reply", $"回复不能超过 {Comment.MaxReplyLength} 个字。"));
        }
        if (reply is not null)
        {
            var report = await screening.ScreenAsync([new ScreenedText("Reply", "回复", false, true, reply)], ct);
            if (report.IsBlocked)
            {
                return Result.Refused(new InputError("Reply", $"回复含有禁止使用的敏感词{string.Join("、", report.BlockedWords.Select(w => $"“{w}”"))}。"));
            }
            reply = (await screening.ReplaceAsync([new ScreenedText("Reply", "回复", false, true, reply)], ct)).Texts[0];
        }
        if (reply == comment.Reply)
        {
            return Result.Unchanged("回复没有变化。");
        }
        comment.Reply = reply;
        comment.RepliedAt = reply is null ? null : time.GetUtcNow().UtcDateTime;
        comment.RepliedBy = reply is null ? null : NameOf(moderator);
        audit.Add(AuditActions.CommentReplied, Target(id), reply is null ? "删除编辑回复" : Excerpt(reply));
        await db.SaveChangesAsync(ct);
        return Result.Done(reply is null ? "已删除编辑回复。" : "已保存编辑回复。");
    }

    public async Task<Result> DeleteAsync(long id, CancellationToken ct)
    {
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null)
        {
            return Result.NotFound("没有这条留言。");
        }
        db.Comments.Remove(comment);
        audit.Add(AuditActions.CommentDeleted, Target(id), $"文章 {comment.ArticleId}，{comment.AuthorName ?? "网友"}：{Excerpt(comment.Body)}");
        await db.SaveChangesAsync(ct);
        return Result.Done("留言已删除。");
    }

    /// <summary>Closes or reopens a report's comments; the comments already shown stay.</summary>
    public async Task<Result> SetClosedAsync(int articleId, bool closed, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == articleId, ct);
        if (article is null)
        {
            return Result.NotFound("没有这篇文章。");
        }
        if (article.CommentsClosed == closed)
        {
            return Result.Unchanged(closed ? "本文留言已经关闭。" : "本文留言本来就是开放的。");
        }
        article.CommentsClosed = closed;
        audit.Add(closed ? AuditActions.CommentsClosed : AuditActions.CommentsOpened, $"article:{articleId}", $"“{article.Title}”");
        await db.SaveChangesAsync(ct);
        return Result.Done(closed ? $"已关闭“{article.Title}”的留言。" : $"已开放“{article.Title}”的留言。");
    }

    /// <summary>先审后发 per channel: off, a comment without flagged words shows at once.</summary>
    public async Task<Result> SetChannelReviewAsync(int channelId, bool review, CancellationToken ct)
    {
        var channel = await db.Channels.SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null)
        {
            return Result.NotFound("没有这个栏目。");
        }
        if (channel.CommentsWithoutReview == !review)
        {
            return Result.Unchanged("栏目的留言审核设置没有变化。");
        }
        channel.CommentsWithoutReview = !review;
        audit.Add(AuditActions.CommentReviewChanged, $"channel:{channelId}", $"“{channel.Name}”：{(review ? "先审后发" : "免审直接显示")}");
        await db.SaveChangesAsync(ct);
        return Result.Done(review ? $"“{channel.Name}”的留言改为先审后发。" : $"“{channel.Name}”的留言改为免审直接显示（含提示词的留言仍需审核）。");
    }

    private static string Target(long id) => $"comment:{id}";

    private static string NameOf(ClaimsPrincipal user) => Truncate(user.Identity?.Name ?? "?", 256);

    private static string Excerpt(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
