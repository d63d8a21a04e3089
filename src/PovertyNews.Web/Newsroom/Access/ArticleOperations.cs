using PovertyNews.Web.Common;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace PovertyNews.Web.Newsroom.Access;

/// <summary>
/// What can be done to an article in the newsroom, as requirements for <c>IAuthorizationService.AuthorizeAsync(user,
/// article, operation)</c>. <see cref="ArticleAccessHandler"/> is the one place that decides each of them.
/// </summary>
public static class ArticleOperations
{
    /// <summary>Open the review page, the revisions and the preview (read-only).</summary>
    public static readonly OperationAuthorizationRequirement View = new() { Name = nameof(View) };

    /// <summary>Listed in the staff search, its CSV export, the article list and the dashboard. Always the same as <see cref="View"/>.</summary>
    public static readonly OperationAuthorizationRequirement ListInStaffSearch = new() { Name = nameof(ListInStaffSearch) };

    /// <summary>Named in the media library's "where used" list.</summary>
    public static readonly OperationAuthorizationRequirement UseInMedia = new() { Name = nameof(UseInMedia) };

    /// <summary>Open the editor and save (including autosave and restoring a revision).</summary>
    public static readonly OperationAuthorizationRequirement Edit = new() { Name = nameof(Edit) };

    public static readonly OperationAuthorizationRequirement Submit = new() { Name = nameof(Submit) };

    /// <summary>Pass the next review level (初审, 复审, 终审): the last level is the editor-in-chief's.</summary>
    public static readonly OperationAuthorizationRequirement Pass = new() { Name = nameof(Pass) };

    public static readonly OperationAuthorizationRequirement SendBack = new() { Name = nameof(SendBack) };

    /// <summary>Publish, schedule, and the schedule controls (publish now, reschedule, cancel).</summary>
    public static readonly OperationAuthorizationRequirement Publish = new() { Name = nameof(Publish) };

    public static readonly OperationAuthorizationRequirement Correct = new() { Name = nameof(Correct) };

    /// <summary>
    /// Review a pending version (an edit of reviewed text): pass its levels, send it back, discard it. Which level is
    /// whose, and that its authors may not pass it, the workflow checks on top.
    /// </summary>
    public static readonly OperationAuthorizationRequirement ReviewChange = new() { Name = nameof(ReviewChange) };

    /// <summary>Set, change or cancel a published (or scheduled) report's 下线时间, which also brings one back online.</summary>
    public static readonly OperationAuthorizationRequirement SetOffline = new() { Name = nameof(SetOffline) };

    /// <summary>Withdraw (撤稿), and return a report withdrawn unseen to draft.</summary>
    public static readonly OperationAuthorizationRequirement Withdraw = new() { Name = nameof(Withdraw) };

    /// <summary>
    /// Make and revoke 预览链接: links that show a saved version, unpublished, to anyone holding them. Its author and the
    /// editors of its desk, as long as it is not withdrawn.
    /// </summary>
    public static readonly OperationAuthorizationRequirement SharePreview = new() { Name = nameof(SharePreview) };

    /// <summary>
    /// See an article's reads by day (传播数据): administrators and editorial staff for every article, a reporter for
    /// their own. Read figures are not public, so "what readers see now" does not open them to other reporters.
    /// </summary>
    public static readonly OperationAuthorizationRequirement ViewReads = new() { Name = nameof(ViewReads) };

    /// <summary>
    /// 删除 (to the recycle bin) a report readers never saw: a reporter their own draft, editors anything of the kind in
    /// their channels. Which states qualify is the article's rule (<see cref="Domain.Article.CanBeRecycled"/>).
    /// </summary>
    public static readonly OperationAuthorizationRequirement Recycle = new() { Name = nameof(Recycle) };

    /// <summary>恢复 from the recycle bin (as a draft): whoever could have deleted it as a draft.</summary>
    public static readonly OperationAuthorizationRequirement Restore = new() { Name = nameof(Restore) };

    /// <summary>永久删除 from the recycle bin before its time: administrators, and editors-in-chief in their channels.</summary>
    public static readonly OperationAuthorizationRequirement Purge = new() { Name = nameof(Purge) };

    public static readonly IReadOnlyList<OperationAuthorizationRequirement> All =
        [View, ListInStaffSearch, UseInMedia, Edit, Submit, Pass, SendBack, Publish, Correct, ReviewChange, SetOffline, Withdraw, SharePreview,
            ViewReads, Recycle, Restore, Purge];
}

/// <summary>Writing a new article into a channel; the resource is the channel's id.</summary>
public sealed class WriteInChannelRequirement : Microsoft.AspNetCore.Authorization.IAuthorizationRequirement
{
    public static readonly WriteInChannelRequirement Instance = new();
}
