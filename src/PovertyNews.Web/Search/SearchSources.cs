using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Search;

/// <summary>The indexed fields of articles with their tags: what every provider's index reads to (re)index them.</summary>
internal static class SearchSources
{
    public static async Task<List<SearchSource>> LoadAsync(NewsDbContext db, IQueryable<Domain.Article> articles, CancellationToken ct)
    {
        var rows = await articles.AsNoTracking()
            .Select(a => new
            {
                a.Id, a.Title, a.Subtitle, a.Summary, a.BodyHtml, a.Source, a.Author, a.ChannelId, a.Kind, a.Status,
                a.PublishedAt, a.CreatedAt, a.OwnerId, a.WentOfflineAt,
            })
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.Id).ToList();
        // SQLite gets the ids inlined (a batch's list differs every time, and a JSON parameter would cost a json_each
        // per row); PostgreSQL gets one array parameter, which it handles well.
        var batch = db.Database.IsNpgsql()
            ? db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            : db.Articles.AsNoTracking().Where(a => EF.Constant(ids).Contains(a.Id));
        var tags = (await batch.SelectMany(a => a.Tags, (a, t) => new { ArticleId = a.Id, t.Name }).ToListAsync(ct))
            .ToLookup(t => t.ArticleId, t => t.Name);
        return rows.Select(r => new SearchSource(r.Id, r.Title, r.Subtitle, r.Summary, r.BodyHtml, r.Source, r.Author,
            tags[r.Id].ToList(), r.ChannelId, r.Kind, r.Status, r.PublishedAt, r.CreatedAt, r.OwnerId, r.WentOfflineAt)).ToList();
    }
}
