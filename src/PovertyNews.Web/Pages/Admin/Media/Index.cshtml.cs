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
    [BindProperty(SupportsGet = true, Name = "kind")] public string? Kind { get; set; }

    public Paging Paging { get; private set; } = null!;
    public IReadOnlyList<MediaCard> Items { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "媒体库";
        ViewData["AdminSection"] = "media";
        Query = MediaListing.Normalize(Query);
        var path = Url.Page("/Admin/Media/Index")!;
        var kind = MediaListing.ParseKind(Kind);
        Kind = kind switch { Domain.MediaKind.Image => "image", Domain.MediaKind.Video => "video", _ => null };
        var query = new List<string>();
        if (Query is not null)
        {
            query.Add("q=" + Uri.EscapeDataString(Query));
        }
        if (Kind is not null)
        {
            query.Add("kind=" + Kind);
        }
        var basePath = query.Count == 0 ? path : path + "?" + string.Join("&", query);
        (Paging, var items) = await db.MediaItems.PageAsync(Query, PageNumber, options.Value.PageSize, basePath, ct, kind);
        Items = items;
        Total = Paging.TotalItems;
    }
}
