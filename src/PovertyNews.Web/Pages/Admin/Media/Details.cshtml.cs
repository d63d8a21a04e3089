using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Media;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Pages.Admin.Media;

/// <summary>One image: its details, URL and Markdown to copy, alt text, where it is used, and deleting it when unused.</summary>
[Authorize(Policy = AccessPolicies.MediaUsers)]
public class DetailsModel(NewsDbContext db, MediaLibrary library) : PageModel
{
    [BindProperty(Name = "AltText")]
    public string? AltText { get; set; }

    public MediaItem Item { get; private set; } = null!;
    public MediaUsages Usages { get; private set; } = new([], 0);
    public bool CanEditAlt { get; private set; }
    public bool CanDelete { get; private set; }
    public string? Error { get; private set; }
    public string? PosterUrl { get; private set; }
    public IReadOnlyList<UploadVideoModel.PosterChoice> Posters { get; private set; } = [];

    [BindProperty(Name = "PosterId")]
    public int? PosterId { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } item)
        {
            return NotFound();
        }
        AltText = item.AltText;
        return await ShowAsync(item, ct);
    }

    public async Task<IActionResult> OnPostAltAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } item)
        {
            return NotFound();
        }
        // A refused alt text is shown again as typed, to be corrected.
        return await AnswerAsync(item, await library.SetAltTextAsync(item, AltText, User.ToActor(), ct),
            Url.Page("/Admin/Media/Details", new { id })!, keepTypedAlt: true, ct);
    }

    public async Task<IActionResult> OnPostPosterAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } item)
        {
            return NotFound();
        }
        return await AnswerAsync(item, await library.SetPosterAsync(item, PosterId, User.ToActor(), ct),
            Url.Page("/Admin/Media/Details", new { id })!, keepTypedAlt: false, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } item)
        {
            return NotFound();
        }
        return await AnswerAsync(item, await library.DeleteAsync(item, User.ToActor(), ct),
            Url.Page("/Admin/Media/Index")!, keepTypedAlt: false, ct);
    }

    /// <summary>
    /// The one answer of the page's forms: refused, the page again with the message and the refusal's status; done,
    /// the flash and <paramref name="next"/> (post-redirect-get).
    /// </summary>
    private async Task<IActionResult> AnswerAsync(MediaItem item, Result result, string next, bool keepTypedAlt, CancellationToken ct)
    {
        if (result.Kind == ResultKind.Forbidden)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (!result.Succeeded)
        {
            Error = result.Message;
            if (!keepTypedAlt)
            {
                AltText = item.AltText;
            }
            return await ShowAsync(item, ct, result.StatusCode);
        }
        TempData.Flash(result);
        return Redirect(next);
    }

    private Task<MediaItem?> FindAsync(int id, CancellationToken ct) => db.MediaItems.SingleOrDefaultAsync(m => m.Id == id, ct);

    private async Task<PageResult> ShowAsync(MediaItem item, CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        var actor = User.ToActor();
        Item = item;
        Usages = await library.UsagesAsync(item, actor, ct);
        CanEditAlt = item.CanEditAltText(actor);
        CanDelete = MediaItem.CanDelete(actor);
        if (item.Kind == MediaKind.Video)
        {
            PosterUrl = item.PosterId is { } posterId
                ? await db.MediaItems.AsNoTracking().Where(m => m.Id == posterId).Select(m => m.StoredName).SingleOrDefaultAsync(ct) is { } stored
                    ? MediaName.UrlOf(stored) : null
                : null;
            Posters = await UploadVideoModel.PosterChoicesAsync(db, ct);
        }
        ViewData["Title"] = item.OriginalName + " - 媒体库";
        ViewData["AdminSection"] = "media";
        Response.StatusCode = status;
        return Page();
    }
}
