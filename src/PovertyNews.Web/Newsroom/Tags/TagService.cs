using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Tags;

/// <summary>
/// 标签管理: rename a tag, merge one into another, delete one no report uses. A name a tag gave up keeps working for
/// readers: it becomes a <see cref="TagRedirect"/> to the tag that holds its reports now, and /tags/{old} answers 301
/// there. Redirects always point at a live tag, never at another redirect, so a chain of renames is one hop. Every
/// change is audited; the saves evict the cached pages of both tags (CacheEvictionInterceptor) and re-index the
/// reports whose tags changed (SearchIndexInterceptor).
/// </summary>
/// <remarks>
/// A tag's name is part of every report that carries it, published ones included, and this changes it for all of
/// them at once, without a pending version each: it is the vocabulary being kept, not a report being edited, and it
/// is for editors-in-chief and administrators (AccessPolicies.TagManagers). The 稿签 of earlier passes keeps the
/// hash of the text as it was then.
/// </remarks>
public sealed class TagService(NewsDbContext db, AuditLog audit, TimeProvider time, ILogger<TagService> logger)
{
    public async Task<Result> RenameAsync(int id, string? name, CancellationToken ct)
    {
        var tag = await db.Tags.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (tag is null)
        {
            return Result.NotFound("没有这个标签。");
        }
        var wanted = (name ?? "").Trim();
        if (ArticleRules.TagNameProblem(wanted) is { } problem)
        {
            return Result.Refused(new InputError("Name", problem));
        }
        if (wanted == tag.Name)
        {
            return Result.Unchanged("名称没有变化。");
        }
        if (await db.Tags.AnyAsync(t => t.Name == wanted && t.Id != id, ct))
        {
            return Result.Refused(new InputError("Name", $"已有标签“{wanted}”。要把两个标签并成一个，请用“合并”。"));
        }
        var old = tag.Name;
        // The new name is a live tag from now on: a redirect under it (an older name of this or another tag) gives way.
        db.TagRedirects.RemoveRange(await db.TagRedirects.Where(r => r.OldName == wanted).ToListAsync(ct));
        await RedirectAsync(old, id, ct);
        tag.Name = wanted;
        audit.Add(AuditActions.TagRenamed, Target(id), $"“{old}”改为“{wanted}”；/tags/{old} 转到新名称");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Tag {TagId} renamed from {OldName} to {NewName}", id, old, wanted);
        return Result.Done($"已将标签“{old}”改名为“{wanted}”，旧地址自动转到新名称。");
    }

    /// <summary>合并: the reports of <paramref name="sourceId"/> get the tag named <paramref name="targetName"/>, and the source goes.</summary>
    public async Task<Result> MergeAsync(int sourceId, string? targetName, CancellationToken ct)
    {
        var source = await db.Tags.Include(t => t.Articles).ThenInclude(a => a.Tags).AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == sourceId, ct);
        if (source is null)
        {
            return Result.NotFound("没有这个标签。");
        }
        var name = (targetName ?? "").Trim();
        if (name.Length == 0)
        {
            return Result.Refused(new InputError("Target", "请填写要合并到的标签。"));
        }
        var target = await db.Tags.SingleOrDefaultAsync(t => t.Name == name, ct);
        if (target is null)
        {
            return Result.Refused(new InputError("Target", $"没有标签“{name}”。只能合并到已有的标签；要换一个新名称，请用“改名”。"));
        }
        if (target.Id == source.Id)
        {
            return Result.Refused(new InputError("Target", "不能把标签合并到它自己。"));
        }
        var moved = 0;
        foreach (var article in source.Articles.ToList())
        {
            article.Tags.Remove(source);
            if (!article.Tags.Any(t => t.Id == target.Id))
            {
                article.Tags.Add(target);
                moved++;
            }
        }
        // The source's own old names, and the source's name, now lead to the target: one hop, never a chain.
        foreach (var redirect in await db.TagRedirects.Where(r => r.TagId == source.Id).ToListAsync(ct))
        {
            redirect.TagId = target.Id;
        }
        await RedirectAsync(source.Name, target.Id, ct);
        db.Tags.Remove(source);
        audit.Add(AuditActions.TagMerged, Target(target.Id),
            $"“{source.Name}”并入“{target.Name}”：{source.Articles.Count} 篇稿件，其中 {moved} 篇新加上“{target.Name}”；/tags/{source.Name} 转到“{target.Name}”");
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Tag {SourceTagId} {SourceName} merged into {TargetTagId} {TargetName}: {Articles} reports",
            source.Id, source.Name, target.Id, target.Name, source.Articles.Count);
        return Result.Done($"已将标签“{source.Name}”合并到“{target.Name}”（{source.Articles.Count} 篇稿件），旧地址自动转到“{target.Name}”。");
    }

    /// <summary>Deletes a tag no report carries (in any state, recycle bin included); its old names go with it.</summary>
    public async Task<Result> DeleteAsync(int id, CancellationToken ct)
    {
        var tag = await db.Tags.Where(t => t.Id == id).Select(t => new { Tag = t, Count = t.Articles.Count }).SingleOrDefaultAsync(ct);
        if (tag is null)
        {
            return Result.NotFound("没有这个标签。");
        }
        if (tag.Count > 0)
        {
            return Result.Refused($"标签“{tag.Tag.Name}”还用在 {tag.Count} 篇稿件上，不能删除；可以把它合并到别的标签。");
        }
        db.Tags.Remove(tag.Tag);
        audit.Add(AuditActions.TagDeleted, Target(id), tag.Tag.Name);
        if (await SaveAsync(ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Unused tag {TagId} {TagName} deleted", id, tag.Tag.Name);
        return Result.Done($"已删除标签“{tag.Tag.Name}”。");
    }

    public static string Target(int id) => $"tag:{id}";

    /// <summary>
    /// <paramref name="oldName"/> leads to <paramref name="tagId"/>. A redirect of that name may exist already: the editor
    /// can bring a retired name back as a new tag, and this one is now being retired again.
    /// </summary>
    private async Task RedirectAsync(string oldName, int tagId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.TagRedirects.SingleOrDefaultAsync(r => r.OldName == oldName, ct) is { } existing)
        {
            (existing.TagId, existing.CreatedAt) = (tagId, now);
        }
        else
        {
            db.TagRedirects.Add(new TagRedirect { OldName = oldName, TagId = tagId, CreatedAt = now });
        }
    }

    /// <summary>Two people renaming to the same name, or one saving a report with it meanwhile: the unique name refuses one.</summary>
    private async Task<Result?> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e)
        {
            logger.LogInformation(e, "A tag change conflicted with another change");
            db.ChangeTracker.Clear();
            return Result.Conflict("标签刚刚被他人修改（或同名标签刚刚建立），请刷新后重试。");
        }
    }
}
