using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Pages.Admin.Tags;

/// <summary>标签管理: every tag with the number of reports carrying it, filtered by a part of the name, most used first.</summary>
[Authorize(Policy = AccessPolicies.TagManagers)]
public class IndexModel(NewsDbContext db) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(int Id, string Name, int Articles, int OldNames);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public bool Unused { get; set; }
    /// <summary>From the query string by hand: "page" is also Razor Pages' own route value, which binding would read first.</summary>
    public int? PageNumber => int.TryParse(Request.Query["page"], out var page) ? page : null;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Paging Paging { get; private set; } = new(1, PageSize, 0, "/admin/tags");

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "标签";
        ViewData["AdminSection"] = "tags";
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim()[..Math.Min(Q.Trim().Length, 50)];
        var query = db.Tags.AsNoTracking();
        if (Q is { } q)
        {
            query = query.Where(t => t.Name.Contains(q));
        }
        if (Unused)
        {
            query = query.Where(t => !t.Articles.Any());
        }
        var basePath = Url.Page("/Admin/Tags/Index") + QueryString(Q, Unused);
        Paging = new Paging(Paging.Normalize(PageNumber), PageSize, await query.CountAsync(ct), basePath);
        if (Paging.IsBeyondEnd)
        {
            Paging = Paging with { Page = Paging.TotalPages };
        }
        Rows = await query.OrderByDescending(t => t.Articles.Count).ThenBy(t => t.Name)
            .Skip(Paging.Skip).Take(Paging.PageSize)
            .Select(t => new Row(t.Id, t.Name, t.Articles.Count, db.TagRedirects.Count(r => r.TagId == t.Id)))
            .ToListAsync(ct);
    }

    private static string QueryString(string? q, bool unused)
    {
        var parts = new List<string>();
        if (q is not null)
        {
            parts.Add("q=" + Uri.EscapeDataString(q));
        }
        if (unused)
        {
            parts.Add("unused=true");
        }
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
