using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Search;

/// <summary>
/// Reader search over published articles. This is plain substring matching on title, summary and body, good
/// enough for the sample content; the indexed Chinese search replaces the query here.
/// </summary>
public class IndexModel(NewsDbContext db, PortalCache portal, TimeProvider time, IOptions<ReadingOptions> options) : PageModel
{
    public const int MaxQueryLength = 100;

    public string Query { get; private set; } = "";
    public string? Channel { get; private set; }
    public IReadOnlyList<ChannelLink> Channels { get; private set; } = [];
    public IReadOnlyList<ArticleCard> Items { get; private set; } = [];
    public Paging? Paging { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q, string? channel, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        Channels = snapshot.Channels.Where(c => !c.IsHidden).ToList();
        Query = new string((q ?? "").Where(ch => !char.IsControl(ch)).ToArray()).Trim();
        if (Query.Length > MaxQueryLength)
        {
            Message = $"搜索词过长，已截取前 {MaxQueryLength} 个字。";
            Query = Query[..MaxQueryLength];
        }
        ViewData["Query"] = Query;
        PageMeta.Set(ViewData, Query.Length > 0 ? $"搜索：{Query}" : "搜索", noIndex: true);
        if (Query.Length == 0)
        {
            return Page();
        }

        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime));
        if (channel is not null && snapshot.FindChannel(channel) is { } found)
        {
            Channel = found.Slug;
            var ids = snapshot.SubtreeIds(found.Id);
            query = query.Where(a => ids.Contains(a.ChannelId));
        }
        foreach (var word in Query.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8))
        {
            query = query.Where(a => a.Title.Contains(word) || a.Summary.Contains(word) || a.BodyMarkdown.Contains(word)
                || a.Tags.Any(t => t.Name == word));
        }
        var basePath = $"/search?q={Uri.EscapeDataString(Query)}" + (Channel is null ? "" : $"&channel={Channel}");
        Paging = new Paging(Paging.Normalize(pageNumber), options.Value.PageSize, await query.CountAsync(ct), basePath);
        if (Paging.IsBeyondEnd)
        {
            Paging = Paging with { Page = Paging.TotalPages };
        }
        Items = await query.OrderByDescending(a => a.Title.Contains(Query)).ThenByDescending(a => a.PublishedAt)
            .Skip(Paging.Skip).Take(Paging.PageSize)
            .Select(ArticleCard.Projection).ToListAsync(ct);
        return Page();
    }
}
