using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>The newsroom's article list: what the access policy lets this person open (<see cref="ArticleScope"/>); newest change first.</summary>
public class IndexModel(NewsDbContext db, ArticleAccess access, Newsroom.BulkActions.BulkActionService bulk) : PageModel
{
    /// <summary>The clock the list is read at (an embargo shows only while it holds).</summary>
    public DateTime Now => access.Now;

    public const int PageSize = 30;

    /// <summary>The status filter's choices: key, label, the statuses it covers.</summary>
    public static readonly IReadOnlyList<(string Key, string Label, ArticleStatus[] Statuses)> StatusFilters = Common.StaffStatusFilters.All;

    /// <summary>Every state a staff list shows when no status is chosen: all but the recycle bin's.</summary>
    public static readonly IReadOnlyList<ArticleStatus> ListedStatuses = [.. Enum.GetValues<ArticleStatus>().Where(s => s != ArticleStatus.Recycled)];

    public sealed record Row(
        int Id, string Title, string ChannelName, ArticleStatus Status, int ReviewLevel,
        DateTime? PublishedAt, string? OwnerName, DateTime UpdatedAt, DateTime? EmbargoUntil);

    public sealed record ChannelOption(int Id, string Name, int? ParentId);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public bool SeesAll { get; private set; }

    /// <summary>The 批量操作 bar, for people who write (an administrator alone changes no report).</summary>
    public BulkBarView? Bulk { get; private set; }
    public IReadOnlyList<ChannelOption> Channels { get; private set; } = [];
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, "/admin/articles");

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "稿件";
        ViewData["AdminSection"] = "articles";
        var actor = User.ToActor();
        var scope = await access.ScopeAsync(actor);
        SeesAll = scope.All;
        Bulk = actor.CanWrite ? new BulkBarView(await bulk.ChannelsAsync(ct)) : null;
        Channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new ChannelOption(c.Id, c.Name, c.ParentId)).ToListAsync(ct);

        var query = scope.Apply(db.Articles.AsNoTracking(), access.Now);
        if (Mine)
        {
            query = query.Where(a => a.OwnerId == actor.UserId);
        }
        var filter = StatusFilters.FirstOrDefault(f => f.Key == Status);
        if (filter.Statuses is { } statuses)
        {
            query = query.Where(a => statuses.Contains(a.Status));
        }
        else
        {
            Status = null;
        }
        if (Channels.FirstOrDefault(c => c.Id == Channel) is { } channel)
        {
            // A channel includes its sub-channels, as on the portal.
            var ids = ChannelTree.SubtreeIds([.. Channels.Select(c => new ChannelLink(c.Id, "", c.Name, c.ParentId, false, 0))], channel.Id);
            query = query.Where(a => ids.Contains(a.ChannelId));
        }
        else
        {
            Channel = null;
        }

        Paging = new Paging(Paging.Normalize(PageNumber), PageSize, await query.CountAsync(ct), Url.Page("/Admin/Articles/Index")!);
        if (Paging.IsBeyondEnd)
        {
            Paging = Paging with { Page = Paging.TotalPages };
        }
        Rows = await query.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id)
            .Skip(Paging.Skip).Take(Paging.PageSize)
            .Select(a => new Row(a.Id, a.Title, a.Channel!.Name, a.Status, a.ReviewLevel, a.PublishedAt,
                db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault(), a.UpdatedAt, a.EmbargoUntil))
            .ToListAsync(ct);
    }

    /// <summary>The list's address with the current filters and the given page.</summary>
    public string PageUrl(int page)
    {
        var parts = new List<string>();
        if (Status is not null)
        {
            parts.Add($"status={Status}");
        }
        if (Channel is not null)
        {
            parts.Add($"channel={Channel}");
        }
        if (Mine)
        {
            parts.Add("mine=true");
        }
        if (page > 1)
        {
            parts.Add($"page={page}");
        }
        var path = Url.Page("/Admin/Articles/Index")!;
        return parts.Count == 0 ? path : path + "?" + string.Join("&", parts);
    }
}
