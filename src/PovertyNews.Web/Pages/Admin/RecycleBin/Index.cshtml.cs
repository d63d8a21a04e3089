using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.RecycleBin;

namespace PovertyNews.Web.Pages.Admin.RecycleBin;

/// <summary>
/// 回收站: the deleted reports this person may see (editorial staff and administrators all, a reporter their own), newest
/// deletion first, with who deleted each, when, and the days left before the purge; 恢复 and 永久删除 where allowed.
/// </summary>
public class IndexModel(NewsDbContext db, ArticleAccess access, WorkflowService workflow, RecycleBinService bin) : PageModel
{
    public const int PageSize = 30;

    public sealed record Row(int Id, string Title, string ChannelName, string? DeletedBy, DateTime RecycledAt, DateTime PurgeAt,
        int DaysLeft, Guid Version, bool CanRestore, bool CanPurge);

    private sealed record Found(int Id, string Title, string ChannelName, string? OwnerId, int ChannelId, int ReviewLevel,
        DateTime? RecycledAt, Guid Version, string? DeletedBy);

    /// <summary>From the query string by hand: "page" is also Razor Pages' own route value, which binding would read first.</summary>
    public int? PageNumber => int.TryParse(Request.Query["page"], out var page) ? page : null;

    [BindProperty] public BinInput Input { get; set; } = new();

    public sealed class BinInput
    {
        public int Id { get; set; }

        /// <summary>The report's version when the bin was shown: one restored or changed since is not acted on blindly.</summary>
        public Guid Version { get; set; }
    }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, "/admin/recycle-bin");
    public int RetentionDays => bin.Options.RetentionDays;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>The list's address at <paramref name="page"/> ("page" is a route value of Razor Pages, so not a route parameter here).</summary>
    public string PageUrl(int? page) => Url.Page("/Admin/RecycleBin/Index") + (page > 1 ? $"?page={page}" : "");

    /// <summary>Where a row's form posts: the handler, keeping the page the list was on.</summary>
    public string HandlerUrl(string handler) => Url.Page("/Admin/RecycleBin/Index") + $"?handler={handler}" + (Paging.Page > 1 ? $"&page={Paging.Page}" : "");

    public async Task<IActionResult> OnPostRestoreAsync(CancellationToken ct)
    {
        var actor = User.ToActor();
        if (await workflow.FindAsync(Input.Id, actor, ct) is not { } article)
        {
            return NotFound();
        }
        var title = article.Title;
        var result = await workflow.ApplyAsync(article, actor, WorkflowStep.Restore, Input.Version, null, null, ct);
        return await AnswerAsync(result.Succeeded ? Result.Done($"已恢复“{title}”，稿件回到草稿。") : result, ct);
    }

    public async Task<IActionResult> OnPostPurgeAsync(CancellationToken ct) =>
        await AnswerAsync(await bin.PurgeAsync(Input.Id, User.ToActor(), ct), ct);

    private async Task<IActionResult> AnswerAsync(Result result, CancellationToken ct)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(PageUrl(PageNumber));
        }
        ModelState.AddErrors(result, null);
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "回收站";
        ViewData["AdminSection"] = "recycle-bin";
        var actor = User.ToActor();
        var query = (await access.ScopeAsync(actor)).ApplyToRecycleBin(db.Articles.AsNoTracking());
        Paging = new Paging(Paging.Normalize(PageNumber), PageSize, await query.CountAsync(ct), Url.Page("/Admin/RecycleBin/Index")!);
        if (Paging.IsBeyondEnd)
        {
            Paging = Paging with { Page = Paging.TotalPages };
        }
        var found = await query.OrderByDescending(a => a.RecycledAt).ThenByDescending(a => a.Id)
            .Skip(Paging.Skip).Take(Paging.PageSize)
            .Select(a => new Found(a.Id, a.Title, a.Channel!.Name, a.OwnerId, a.ChannelId, a.ReviewLevel, a.RecycledAt, a.Version,
                a.Reviews.Where(r => r.Action == ReviewAction.Recycle).OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
                    .Select(r => r.UserName).FirstOrDefault()))
            .ToListAsync(ct);
        var now = access.Now;
        var rows = new List<Row>(found.Count);
        foreach (var f in found)
        {
            var recycledAt = DateTime.SpecifyKind(f.RecycledAt ?? now, DateTimeKind.Utc);
            var purgeAt = bin.PurgeDueAt(recycledAt);
            var facts = new ArticleFacts(f.Id, f.OwnerId, f.ChannelId, ArticleStatus.Recycled, f.ReviewLevel, null);
            rows.Add(new Row(f.Id, f.Title, f.ChannelName, f.DeletedBy, recycledAt, purgeAt,
                Math.Max(0, (int)Math.Ceiling((purgeAt - now).TotalDays)), f.Version,
                await access.MayAsync(actor, facts, ArticleOperations.Restore), await access.MayAsync(actor, facts, ArticleOperations.Purge)));
        }
        Rows = rows;
    }
}
