using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Tags;

[ReaderCache("page")]
public class ShowModel(NewsDbContext db, TimeProvider time, IOptions<ReadingOptions> options) : PageModel
{
    public string Tag { get; private set; } = "";
    public IReadOnlyList<ArticleCard> Items { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromRoute] string tag, CancellationToken ct)
    {
        var pageNumber = ReaderQuery.Page(Request.Query);
        var found = await db.Tags.AsNoTracking().Where(t => t.Name == tag).Select(t => new { t.Id, t.Name }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            // A renamed or merged tag's old name keeps working, query string and all (one hop: redirects name live tags).
            var renamed = await db.TagRedirects.AsNoTracking().Where(r => r.OldName == tag)
                .Join(db.Tags, r => r.TagId, t => t.Id, (r, t) => t.Name).FirstOrDefaultAsync(ct);
            return renamed is null ? NotFound() : RedirectPermanent($"{PublicUrls.Tag(renamed)}{Request.QueryString}");
        }
        Tag = found.Name;
        HttpContext.TagOutput(CacheTags.Tag(found.Id));
        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime))
            .Where(a => a.Tags.Any(t => t.Id == found.Id));
        if (await query.NewestFirstPageAsync(pageNumber, options.Value.PageSize, PublicUrls.Tag(found.Name), ct) is not { } result)
        {
            return NotFound();
        }
        (Paging, Items) = result;
        PageMeta.Set(ViewData, $"标签：{found.Name}", $"标签“{found.Name}”下的报道", Paging.UrlFor(Paging.Page));
        return Page();
    }
}
