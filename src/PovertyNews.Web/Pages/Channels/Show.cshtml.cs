using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Channels;

[ReaderCache("page")]
public class ShowModel(NewsDbContext db, PortalCache portal, TimeProvider time, IOptions<ReadingOptions> options) : PageModel
{
    public ChannelLink Channel { get; private set; } = null!;
    public string? Description { get; private set; }
    public IReadOnlyList<ChannelLink> Children { get; private set; } = [];
    public ChannelLink? Parent { get; private set; }
    public IReadOnlyList<ArticleCard> Items { get; private set; } = [];
    public Paging Paging { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromRoute] string slug, CancellationToken ct)
    {
        var pageNumber = ReaderQuery.Page(Request.Query);
        var snapshot = await portal.GetAsync(ct);
        if (snapshot.FindChannel(slug) is not { } channel)
        {
            // A renamed (or merged) channel's old address keeps working, query string and all.
            return snapshot.FindRedirect(slug) is { } renamed
                ? RedirectPermanent($"{PublicUrls.Channel(renamed.Slug)}{Request.QueryString}")
                : NotFound();
        }
        if (channel.Slug == PublicUrls.VideoChannelSlug)
        {
            // One video listing: /videos (playable videos only); two pages of the same videos split their readers.
            return RedirectPermanent($"{PublicUrls.Videos}{Request.QueryString}");
        }
        Channel = channel;
        HttpContext.TagOutput(CacheTags.Channel(channel.Id));
        Children = snapshot.ChildrenOf(channel.Id).ToList();
        Parent = channel.ParentId is { } parentId ? snapshot.Channels.FirstOrDefault(c => c.Id == parentId) : null;
        Description = await db.Channels.Where(c => c.Id == channel.Id).Select(c => c.Description).SingleOrDefaultAsync(ct);

        var ids = snapshot.SubtreeIds(channel.Id);
        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime))
            .Where(a => ids.Contains(a.ChannelId));
        if (await query.NewestFirstPageAsync(pageNumber, options.Value.PageSize, PublicUrls.Channel(channel.Slug), ct) is not { } result)
        {
            return NotFound();
        }
        (Paging, Items) = result;

        PageMeta.Set(ViewData, Paging.Page > 1 ? $"{channel.Name}（第{Paging.Page}页）" : channel.Name,
            Description, Paging.UrlFor(Paging.Page));
        ViewData["Nav"] = snapshot.TopLevelOf(channel).Slug;
        return Page();
    }
}
