using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Topics;

/// <summary>/topics: every published 专题 as a banner card, in the editors' order (newest first among equals).</summary>
[ReaderCache(Tags = [CacheTags.Topics])]
public class IndexModel(PortalCache portal) : PageModel
{
    public IReadOnlyList<TopicCard> Topics { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        Topics = snapshot.Topics;
        PageMeta.Set(ViewData, "专题", $"{snapshot.Settings.SiteName}专题报道：围绕一个主题持续报道的专题页面", PublicUrls.Topics);
        ViewData["Nav"] = "topics";
    }
}
