using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Data;
using PovertyNews.Web.Media;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.Media;

/// <summary>媒体库: every image, newest first, searchable by file name and alt text.</summary>
[Authorize(Policy = AccessPolicies.MediaUsers)]
public class IndexModel(NewsDbContext db, IOptions<MediaOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public Paging Paging { get; private set; } = null!;
    public IReadOnlyList<MediaCard> Items { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "媒体库";
        ViewData["AdminSection"] = "media";
        Query = MediaListing.Normalize(Query);
        var path = Url.Page("/Admin/Media/Index")!;
        var basePath = Query is null ? path : $"{path}?q={Uri.EscapeDataString(Query)}";
        (Paging, var items) = await db.MediaItems.PageAsync(Query, PageNumber, options.Value.PageSize, basePath, ct);
        Items = items;
        Total = Paging.TotalItems;
    }
}
