using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Videos;

[ReaderCache("page", Tags = [CacheTags.Videos])]
public class IndexModel(NewsDbContext db, TimeProvider time, IOptions<ReadingOptions> options) : PageModel
{
    public IReadOnlyList<ArticleCard> Items { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var pageNumber = ReaderQuery.Page(Request.Query);
        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime))
            .Where(a => a.Kind == ArticleKind.Video).Where(VideoSource.Playable);
        if (await query.NewestFirstPageAsync(pageNumber, options.Value.PageSize, PublicUrls.Videos, ct) is not { } result)
        {
            return NotFound();
        }
        (Paging, Items) = result;
        PageMeta.Set(ViewData, "视频", "视频报道", Paging.UrlFor(Paging.Page));
        ViewData["Nav"] = PublicUrls.VideoChannelSlug; // the 视频 channel's place in the navigation
        return Page();
    }
}
