using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Newsroom.Channels;

/// <summary>
/// Changes the channel tree for the newsroom. Every change is checked against the domain's rules
/// (<see cref="ChannelSlug"/>, <see cref="ChannelHierarchy"/>), written with its audit entry in one transaction,
/// logged, and shown to readers on the next request. Every change answers a <see cref="Result"/>: its message is the
/// flash, or the refusal with the messages next to the fields of <see cref="ChannelInput"/>. Slugs, once published, keep answering: a renamed or deleted
/// channel's old slugs redirect (<see cref="ChannelRedirect"/>), and the sidebar settings follow a renamed slug.
/// </summary>
public sealed class ChannelService(
    NewsDbContext db,
    AuditLog audit,
    ISearchIndex index,
    TimeProvider time,
    IHttpContextAccessor http,
    ILogger<ChannelService> logger)
{
    /// <summary>Roles that manage channels: the structure is an editorial decision (总编辑) and a site one (管理员).</summary>
    public const string ManagerRoles = NewsRoles.Administrator + "," + NewsRoles.EditorInChief;

    private static Result NotFound => Result.NotFound("没有这个栏目。");

    private string UserName => http.HttpContext?.User.Identity?.Name ?? "系统";

    public async Task<Result> CreateAsync(ChannelInput input, CancellationToken ct)
    {
        input.Normalize();
        var hierarchy = await HierarchyAsync(ct);
        var errors = input.Errors().ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(await AvailabilityErrorsAsync(input, channelId: null, ct));
            if (hierarchy.NewChannelProblem(input.Parent) is { } problem)
            {
                errors.Add(new(nameof(ChannelInput.ParentId), problem));
            }
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors);
        }

        var channel = new Channel
        {
            Name = input.Name!, Slug = input.Slug!, Description = input.Description, ParentId = input.Parent,
            SortOrder = await NextSortOrderAsync(input.Parent, ct),
        };
        db.Channels.Add(channel);
        audit.Add(AuditActions.ChannelCreated, Target(channel.Slug), $"栏目“{channel.Name}”，上级：{await ParentNameAsync(channel.ParentId, ct)}");
        if (await SaveAsync(ct) is { } failure)
        {
            return failure;
        }
        logger.LogInformation("Channel {Slug} ({ChannelName}) created under {ParentId} by {User}", channel.Slug, channel.Name, channel.ParentId, UserName);
        return Done($"已新建栏目“{channel.Name}”，网址 /channels/{channel.Slug}。");
    }

    /// <summary>Rename (name and/or slug), describe and move in one form, refused as a conflict when the form is stale.</summary>
    public async Task<Result<Guid>> UpdateAsync(int id, ChannelInput input, CancellationToken ct)
    {
        var channel = await db.Channels.Include(c => c.OldSlugs).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return NotFound.As<Guid>();
        }
        input.Normalize();
        if (input.VersionGuid != channel.Version)
        {
            return await ConflictAsync(channel, ct);
        }
        var hierarchy = await HierarchyAsync(ct);
        var errors = input.Errors(channel.Slug).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(await AvailabilityErrorsAsync(input, id, ct));
            if (input.Parent != channel.ParentId && hierarchy.MoveProblem(id, input.Parent) is { } problem)
            {
                errors.Add(new(nameof(ChannelInput.ParentId), problem));
            }
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors).As<Guid>();
        }

        var (oldName, oldSlug, oldParent) = (channel.Name, channel.Slug, channel.ParentId);
        var renamed = oldName != input.Name || oldSlug != input.Slug;
        var described = channel.Description != input.Description;
        var moved = oldParent != input.Parent;
        if (!renamed && !described && !moved)
        {
            return Result.Unchanged("栏目没有变化。").As<Guid>();
        }

        if (renamed)
        {
            channel.Name = input.Name!;
            channel.ChangeSlug(input.Slug!, time.GetUtcNow().UtcDateTime);
            // The sidebar settings name channels by id, so a renamed channel keeps feeding its sidebar.
            audit.Add(AuditActions.ChannelRenamed, Target(oldSlug), string.Join("；", new[]
            {
                oldName != channel.Name ? $"名称：{oldName} → {channel.Name}" : null,
                oldSlug != channel.Slug ? $"网址别名：{oldSlug} → {channel.Slug}（旧网址永久跳转）" : null,
            }.OfType<string>()));
        }
        if (described)
        {
            channel.Description = input.Description;
            audit.Add(AuditActions.ChannelDescribed, Target(channel.Slug), $"栏目说明：{input.Description ?? "（空）"}");
        }
        if (moved)
        {
            channel.ParentId = input.Parent;
            channel.SortOrder = await NextSortOrderAsync(input.Parent, ct);
            audit.Add(AuditActions.ChannelMoved, Target(channel.Slug),
                $"上级：{await ParentNameAsync(oldParent, ct)} → {await ParentNameAsync(input.Parent, ct)}");
        }
        // The check is repeated by the database, so a save in between these lines is caught too.
        db.Entry(channel).Property(c => c.Version).OriginalValue = input.VersionGuid!.Value;
        if (await SaveAsync(ct) is { } failure)
        {
            return failure.Kind == ResultKind.Conflict ? await ConflictAsync(channel, ct) : failure.As<Guid>();
        }
        logger.LogInformation("Channel {ChannelId} updated by {User}: name {OldName} → {NewName}, slug {Slug} → {NewSlug}, parent {OldParentId} → {NewParentId}",
            id, UserName, oldName, channel.Name, oldSlug, channel.Slug, oldParent, channel.ParentId);
        return Done($"栏目“{channel.Name}”已保存。" + (oldSlug != channel.Slug ? $"旧网址 /channels/{oldSlug} 会永久跳转到 /channels/{channel.Slug}。" : ""))
            .With(channel.Version);
    }

    /// <summary>Moves the channel one place up or down among its siblings.</summary>
    public async Task<Result> ReorderAsync(int id, bool up, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return NotFound;
        }
        var siblings = await db.Channels.Where(c => c.ParentId == channel.ParentId)
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Id).ToListAsync(ct);
        var at = siblings.FindIndex(c => c.Id == id);
        var to = up ? at - 1 : at + 1;
        if (to < 0 || to >= siblings.Count)
        {
            return Result.Unchanged($"栏目“{channel.Name}”已经排在{(up ? "最前" : "最后")}。");
        }
        (siblings[at], siblings[to]) = (siblings[to], siblings[at]);
        // Renumbering the siblings also mends ties and gaps left by imports and deletions.
        for (var i = 0; i < siblings.Count; i++)
        {
            if (siblings[i].SortOrder != i)
            {
                siblings[i].SortOrder = i;
            }
        }
        audit.Add(AuditActions.ChannelReordered, Target(channel.Slug),
            $"{(up ? "上移" : "下移")}，现为同级第 {to + 1} 位（共 {siblings.Count} 个）");
        if (await SaveAsync(ct) is { } failure)
        {
            return failure;
        }
        logger.LogInformation("Channel {Slug} moved {Direction} to position {Position} by {User}", channel.Slug, up ? "up" : "down", to + 1, UserName);
        return Done($"栏目“{channel.Name}”已{(up ? "上移" : "下移")}。");
    }

    public async Task<Result> SetHiddenAsync(int id, bool hidden, CancellationToken ct)
    {
        var channel = await db.Channels.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return NotFound;
        }
        if (channel.IsHidden == hidden)
        {
            return Result.Unchanged($"栏目“{channel.Name}”已是{(hidden ? "隐藏" : "显示")}状态。");
        }
        channel.IsHidden = hidden;
        audit.Add(hidden ? AuditActions.ChannelHidden : AuditActions.ChannelShown, Target(channel.Slug), $"栏目“{channel.Name}”");
        if (await SaveAsync(ct) is { } failure)
        {
            return failure;
        }
        logger.LogInformation("Channel {Slug} {Visibility} by {User}", channel.Slug, hidden ? "hidden" : "shown", UserName);
        return Done(hidden
            ? $"栏目“{channel.Name}”已隐藏：不再出现在导航和首页栏目区块中，栏目页仍可访问。"
            : $"栏目“{channel.Name}”已恢复显示。");
    }

    /// <summary>
    /// Deletes a channel. Its articles and sub-channels go to <paramref name="targetId"/> in the same transaction
    /// (required when there are any), and its slugs then redirect there. A channel feeding a sidebar is refused.
    /// </summary>
    public async Task<Result> DeleteAsync(int id, int? targetId, CancellationToken ct)
    {
        var channel = await db.Channels.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return NotFound;
        }
        var facts = await DeletionFactsAsync(channel, ct);
        if (facts.Sidebars.Count > 0)
        {
            return Result.Refused(new InputError("", SidebarMessage(channel, facts.Sidebars)));
        }
        var hierarchy = await HierarchyAsync(ct);
        var target = targetId is { } t ? await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == t, ct) : null;
        if (target is null && (facts.Articles > 0 || facts.Children > 0))
        {
            return Result.Refused(new InputError("TargetId", targetId is null
                ? $"栏目“{channel.Name}”下还有 {facts.Articles} 篇稿件、{facts.Children} 个子栏目，请选择接收它们的栏目后再删除。"
                : "所选的接收栏目不存在。"));
        }
        if (target is not null && hierarchy.IsInSubtree(id, target.Id))
        {
            return Result.Refused(new InputError("TargetId", "接收栏目不能是要删除的栏目本身或它的子栏目。"));
        }
        var deskHolders = await db.DeskAssignments.CountAsync(d => d.ChannelId == id, ct);
        if (target is null && deskHolders > 0)
        {
            // Deleting someone's only desk channel would leave them with none, which reads as the whole site.
            return Result.Refused(new InputError("TargetId",
                $"栏目“{channel.Name}”是 {deskHolders} 人的责任栏目，请选择接收栏目（责任栏目随之转过去），或先在“责任栏目”页调整。"));
        }
        var children = await db.Channels.Where(c => c.ParentId == id).OrderBy(c => c.SortOrder).ThenBy(c => c.Id).ToListAsync(ct);
        if (target is not null && children.Any(c => hierarchy.Depth(target.Id) + hierarchy.Height(c.Id) > ChannelHierarchy.MaxDepth))
        {
            return Result.Refused(new InputError("TargetId",
                $"子栏目移到“{target.Name}”下后层级会超过 {ChannelHierarchy.MaxDepth} 层，请选择层级更高的接收栏目。"));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var movedArticles = new List<int>();
        if (target is not null)
        {
            movedArticles = await db.Articles.Where(a => a.ChannelId == id).Select(a => a.Id).ToListAsync(ct);
            // One statement however many articles; a new version makes open editor forms for them stale.
            var version = Guid.NewGuid();
            await db.Articles.Where(a => a.ChannelId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ChannelId, target.Id).SetProperty(a => a.Version, version), ct);
            var next = await NextSortOrderAsync(target.Id, ct);
            foreach (var child in children)
            {
                child.ParentId = target.Id;
                child.SortOrder = next++;
            }
            // Links to the deleted channel lead to where its articles went.
            await db.ChannelRedirects.Where(r => r.ChannelId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ChannelId, target.Id), ct);
            db.ChannelRedirects.Add(new ChannelRedirect { OldSlug = channel.Slug, ChannelId = target.Id, RetiredAt = time.GetUtcNow().UtcDateTime });
            // Desks follow the articles, so nobody covering the deleted channel loses (or silently widens) their desk.
            var desks = await db.DeskAssignments.Where(d => d.ChannelId == id).ToListAsync(ct);
            var alreadyThere = await db.DeskAssignments.Where(d => d.ChannelId == target.Id).Select(d => d.UserId).ToListAsync(ct);
            db.DeskAssignments.RemoveRange(desks);
            db.DeskAssignments.AddRange(desks.Where(d => !alreadyThere.Contains(d.UserId))
                .Select(d => new DeskAssignment { UserId = d.UserId, ChannelId = target.Id }));
        }
        db.Channels.Remove(channel);
        audit.Add(AuditActions.ChannelDeleted, Target(channel.Slug), target is null
            ? $"栏目“{channel.Name}”（无稿件、无子栏目）"
            : $"栏目“{channel.Name}”；{movedArticles.Count} 篇稿件、{children.Count} 个子栏目移至“{target.Name}”（{target.Slug}），旧网址跳转到该栏目");
        // Moved sub-channels are re-indexed by the save itself (SearchIndexInterceptor); the articles here.
        if (await SaveAsync(ct) is { } failure)
        {
            return failure;
        }
        await index.UpdateAsync(db, movedArticles, ct);
        await transaction.CommitAsync(ct);
        // The articles moved in one statement, which the cache's save interceptor never sees. The channel's removal
        // it does see: the portal snapshot is rebuilt, and its comparison evicts the navigation every reader page shows.
        logger.LogInformation("Channel {Slug} deleted by {User}; {Articles} articles and {Children} sub-channels moved to {TargetSlug}",
            channel.Slug, UserName, movedArticles.Count, children.Count, target?.Slug);
        return Result.Done(target is null
            ? $"栏目“{channel.Name}”已删除。"
            : $"栏目“{channel.Name}”已删除：{movedArticles.Count} 篇稿件和 {children.Count} 个子栏目已移至“{target.Name}”，旧网址会跳转到该栏目。");
    }

    public sealed record DeletionFacts(int Articles, int Children, IReadOnlyList<string> Sidebars);

    /// <summary>What deleting the channel would touch: its own articles, its sub-channels, the sidebars it feeds.</summary>
    public async Task<DeletionFacts> DeletionFactsAsync(Channel channel, CancellationToken ct)
    {
        var sidebars = await db.SidebarSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SidebarSettings();
        return new(
            await db.Articles.CountAsync(a => a.ChannelId == channel.Id, ct),
            await db.Channels.CountAsync(c => c.ParentId == channel.Id, ct),
            new[] { ("热点舆情", sidebars.OpinionChannelId), ("特色小镇", sidebars.TownChannelId) }
                .Where(s => s.Item2 == channel.Id).Select(s => s.Item1).ToList());
    }

    public static string SidebarMessage(Channel channel, IReadOnlyList<string> sidebars) =>
        $"栏目“{channel.Name}”正在为侧栏“{string.Join("”“", sidebars)}”供稿，不能删除。请先在“版面编排 › 侧栏设置”中为该侧栏改选其他栏目。";

    /// <summary>Name and slug clashes with other channels, current or former.</summary>
    private async Task<List<InputError>> AvailabilityErrorsAsync(ChannelInput input, int? channelId, CancellationToken ct)
    {
        var errors = new List<InputError>();
        var slug = input.Slug!;
        if (await db.Channels.Where(c => c.Slug == slug && c.Id != channelId).Select(c => c.Name).FirstOrDefaultAsync(ct) is { } holder)
        {
            errors.Add(new(nameof(ChannelInput.Slug), $"网址别名“{slug}”已被栏目“{holder}”使用。"));
        }
        else if (await db.ChannelRedirects.Where(r => r.OldSlug == slug && r.ChannelId != channelId)
                     .Join(db.Channels, r => r.ChannelId, c => c.Id, (r, c) => c.Name).FirstOrDefaultAsync(ct) is { } redirected)
        {
            // Taking it would silently send the old links somewhere else; the slug stays with the channel it points to.
            errors.Add(new(nameof(ChannelInput.Slug),
                $"网址别名“{slug}”以前用过，旧链接现在跳转到栏目“{redirected}”；为了不让这些链接指向别处，不能再用于其他栏目。"));
        }
        var parent = input.Parent;
        if (await db.Channels.AnyAsync(c => c.ParentId == parent && c.Name == input.Name && c.Id != channelId, ct))
        {
            errors.Add(new(nameof(ChannelInput.Name), $"同一上级下已有名为“{input.Name}”的栏目。"));
        }
        return errors;
    }

    private async Task<Result<Guid>> ConflictAsync(Channel channel, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var stored = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channel.Id, ct);
        if (stored is null)
        {
            return NotFound.As<Guid>();
        }
        var message = $"栏目已被他人修改（现在：名称“{stored.Name}”，网址别名 {stored.Slug}，上级：{await ParentNameAsync(stored.ParentId, ct)}）。"
            + "您填写的内容仍保留在下面；确认后再次保存将覆盖对方的修改。";
        return Result<Guid>.Conflict(message, stored.Version);
    }

    /// <summary>Saves, turning a lost race (a stale version, a slug taken meanwhile) into a message instead of a 500.</summary>
    private async Task<Result?> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.Conflict("栏目已被他人修改。");
        }
        catch (DbUpdateException exception)
        {
            logger.LogWarning(exception, "Channel change by {User} refused by the database", UserName);
            db.ChangeTracker.Clear();
            return Result.Refused(new InputError("", "保存时栏目已被他人改动（如网址别名刚被占用，或栏目下刚有新稿件），请刷新后重试。"));
        }
        return null;
    }

    private static Result Done(string message) => Result.Done(message);

    private async Task<ChannelHierarchy> HierarchyAsync(CancellationToken ct) =>
        new((await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(ct)).Select(c => (c.Id, c.ParentId)));

    private async Task<int> NextSortOrderAsync(int? parentId, CancellationToken ct) =>
        (await db.Channels.Where(c => c.ParentId == parentId).MaxAsync(c => (int?)c.SortOrder, ct) ?? -1) + 1;

    private async Task<string> ParentNameAsync(int? parentId, CancellationToken ct) =>
        parentId is null ? "（顶级）" : await db.Channels.Where(c => c.Id == parentId).Select(c => c.Name).SingleOrDefaultAsync(ct) ?? "（无）";

    private static string Target(string slug) => $"channel:{slug}";
}
