using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Search.Postgres;

/// <summary>The articles' indexed fields with their tags, as the SQLite index reads them (same query, written for Npgsql's array parameters).</summary>
internal static class Loading
{
    public static async Task<List<SearchSource>> LoadAsync(NewsDbContext db, IQueryable<Domain.Article> articles, CancellationToken ct)
    {
        var rows = await articles.AsNoTracking()
            .Select(a => new
            {
                a.Id, a.Title, a.Subtitle, a.Summary, a.BodyHtml, a.Source, a.Author, a.ChannelId, a.Kind, a.Status,
                a.PublishedAt, a.CreatedAt, a.OwnerId,
            })
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var tags = (await (from a in db.Articles.AsNoTracking()
                           where ids.Contains(a.Id)
                           from t in a.Tags
                           select new { ArticleId = a.Id, t.Name })
                .ToListAsync(ct))
            .ToLookup(t => t.ArticleId, t => t.Name);
        return rows.Select(r => new SearchSource(r.Id, r.Title, r.Subtitle, r.Summary, r.BodyHtml, r.Source, r.Author,
            tags[r.Id].ToList(), r.ChannelId, r.Kind, r.Status, r.PublishedAt, r.CreatedAt, r.OwnerId)).ToList();
    }
}
