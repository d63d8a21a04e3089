using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages;

public class IndexModel(NewsDbContext db, PortalCache portal, TimeProvider time) : PageModel
{
    public const int LatestCount = 10;
    public const int BlockSize = 5;

    public string SiteName { get; private set; } = "";
    public IReadOnlyList<ArticleCard> Headlines { get; private set; } = [];
    public IReadOnlyList<ArticleCard> Latest { get; private set; } = [];
    public IReadOnlyList<ChannelBlock> Blocks { get; private set; } = [];

    public sealed record ChannelBlock(ChannelLink Channel, IReadOnlyList<ArticleCard> Items);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var visible = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));

        // 头条 in the editors' order; a scheduled headline joins at its minute, a withdrawn one is never shown.
        Headlines = await PortalCache.Placed(db, CurationBlock.Headline, now)
            .Select(ArticleCard.Projection).Take(PlacementList.CapacityOf(CurationBlock.Headline)).ToListAsync(ct);
        var headlineIds = Headlines.Select(h => h.Id).ToList();
        Latest = await visible.Where(a => a.Kind == ArticleKind.Article && !headlineIds.Contains(a.Id))
            .OrderByDescending(a => a.PublishedAt)
            .Select(ArticleCard.Projection).Take(LatestCount).ToListAsync(ct);

        // The newest few ids of every channel in one query (SQLite has no APPLY for a join inside), then their cards;
        // each top-level block takes the newest of its subtree.
        var isVisible = Article.VisibleAt(now);
        var newestIds = (await db.Channels
            .Select(c => c.Articles.AsQueryable().Where(isVisible)
                .OrderByDescending(a => a.PublishedAt).Take(BlockSize).Select(a => a.Id).ToList())
            .ToListAsync(ct))
            .SelectMany(ids => ids)
            .ToList();
        var newestPerChannel = await visible.Where(a => newestIds.Contains(a.Id))
            .Select(ArticleCard.Projection).ToListAsync(ct);
        Blocks = snapshot.Navigation
            .Select(channel =>
            {
                var ids = snapshot.SubtreeIds(channel.Id);
                return new ChannelBlock(channel, newestPerChannel.Where(c => ids.Contains(c.ChannelId))
                    .OrderByDescending(c => c.PublishedAt).Take(BlockSize).ToList());
            })
            .ToList();

        SiteName = snapshot.Settings.SiteName;
        PageMeta.Set(ViewData, "", snapshot.Settings.Tagline, "/");
        ViewData["IsHome"] = true;
    }
}
