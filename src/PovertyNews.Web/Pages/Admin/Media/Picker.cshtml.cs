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

/// <summary>
/// The editor's picker: an HTML fragment (no layout) that media-picker.js loads into a dialog — recent images with a
/// 选用 button each, a search box, paging and the upload form.
/// </summary>
[Authorize(Policy = AccessPolicies.MediaUsers)]
public class PickerModel(NewsDbContext db, IOptions<MediaOptions> options) : PageModel
{
    public const int PageSize = 12;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public Paging Paging { get; private set; } = null!;
    public IReadOnlyList<MediaCard> Items { get; private set; } = [];
    public UploadFormView Upload { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Query = MediaListing.Normalize(Query);
        var path = Url.Page("/Admin/Media/Picker")!;
        var basePath = Query is null ? path : $"{path}?q={Uri.EscapeDataString(Query)}";
        (Paging, var items) = await db.MediaItems.PageAsync(Query, PageNumber, PageSize, basePath, ct, Domain.MediaKind.Image);
        Items = items;
        Upload = new UploadFormView(null, null, options.Value.MaxBytes, options.Value.MaxPixels, "picker-upload");
    }
}
