using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.SiteMap;

/// <summary>
/// 网站地图 for people: every channel with its sub-channels and feed, the published topics, and the site's other sections. The XML one at
/// /sitemap.xml is for search engines; the footer links here.
/// </summary>
[ReaderCache(Tags = [CacheTags.Navigation, CacheTags.Topics])]
public class IndexModel(PortalCache portal) : PageModel
{
    public PortalSnapshot Snapshot { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Snapshot = await portal.GetAsync(ct);
        PageMeta.Set(ViewData, "网站地图", $"{Snapshot.Settings.SiteName}的栏目与服务一览", "/sitemap");
    }
}
