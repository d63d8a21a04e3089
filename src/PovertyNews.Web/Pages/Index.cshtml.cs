using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages;

/// <summary>The front page. Its blocks come with the portal snapshot, computed once per change, not per request.</summary>
[ReaderCache(Tags = [CacheTags.Front])]
public class IndexModel(PortalCache portal) : PageModel
{
    public string SiteName { get; private set; } = "";
    public FrontPage Front { get; private set; } = FrontPage.Empty;

    public IReadOnlyList<ArticleCard> Headlines => Front.Headlines;
    public IReadOnlyList<ArticleCard> Latest => Front.Latest;
    public IReadOnlyList<ChannelBlock> Blocks => Front.Blocks;

    /// <summary>The 专题 block: published topics the editors marked for the front page.</summary>
    public IReadOnlyList<TopicCard> Topics { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        Front = snapshot.Front;
        Topics = snapshot.FrontTopics.ToList();
        SiteName = snapshot.Settings.SiteName;
        PageMeta.Set(ViewData, "", snapshot.Settings.Tagline, "/");
        ViewData["IsHome"] = true;
    }
}
