using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Topics;

/// <summary>
/// /topics/{slug}: a published 专题 — banner, introduction, its sections with their newest visible reports, and its
/// 大事记. Unknown and unpublished topics answer 404. Cached under <see cref="CacheTags.Topics"/>: any change to the
/// topic or to the visible reports evicts it.
/// </summary>
[ReaderCache(Tags = [CacheTags.Topics])]
public class ShowModel(NewsDbContext db, PortalCache portal, TimeProvider time) : PageModel
{
    public TopicPage Topic { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromRoute] string slug, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        if (await TopicPage.LoadAsync(db, snapshot, slug, time.GetUtcNow().UtcDateTime, ct) is not { } topic)
        {
            return await TopicPage.RenamedAsync(db, slug, ct) is { } renamed
                ? RedirectPermanent(PublicUrls.Topic(renamed))
                : NotFound();
        }
        Topic = topic;
        PageMeta.Set(ViewData, $"{topic.Title} - 专题", topic.Summary.Length > 0 ? topic.Summary : $"专题：{topic.Title}", topic.Url);
        ViewData["Nav"] = "topics";
        if (topic.BannerImageUrl is not null)
        {
            ViewData["TwitterCard"] = "summary_large_image";
        }
        return Page();
    }
}
