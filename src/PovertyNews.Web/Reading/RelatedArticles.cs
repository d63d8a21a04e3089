using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>
/// 延伸阅读: articles sharing the most tags first, then the same channel, newest first — ranked among the newest
/// <see cref="CandidatesPerList"/> of the channel and of each tag, so the cost does not grow with the archive
/// (ranking every article of a channel or a common tag took hundreds of milliseconds at 100,000 articles).
/// </summary>
public static class RelatedArticles
{
    public const int CandidatesPerList = 12;

    private sealed record Candidate(int Id, DateTime PublishedAt, int ChannelId, int SharedTags) : IPublished;

    public static async Task<List<ArticleCard>> FindAsync(NewsDbContext db, int articleId, int channelId,
        IReadOnlyList<int> tagIds, DateTime now, int count, CancellationToken ct)
    {
        var articles = db.Articles.AsNoTracking().Where(a => a.Id != articleId);
        // The newest of the channel and of each tag, in one round trip.
        var query = NewestVisible.Query(articles.Where(a => a.ChannelId == channelId), now, CandidatesPerList);
        foreach (var tagId in tagIds)
        {
            query = query.Concat(NewestVisible.Query(articles.Where(a => a.Tags.Any(t => t.Id == tagId)), now, CandidatesPerList));
        }
        var candidates = new Dictionary<int, Candidate>();
        foreach (var candidate in await query
            .Select(a => new Candidate(a.Id, a.PublishedAt!.Value, a.ChannelId, a.Tags.Count(t => tagIds.Contains(t.Id))))
            .ToListAsync(ct))
        {
            candidates[candidate.Id] = candidate;
        }
        var chosen = candidates.Values
            .OrderByDescending(c => c.SharedTags)
            .ThenByDescending(c => c.ChannelId == channelId)
            .ThenByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
            .Take(count).Select(c => c.Id).ToList();
        var cards = await articles.Where(a => chosen.Contains(a.Id)).Select(ArticleCard.Projection).ToListAsync(ct);
        return chosen.Select(id => cards.FirstOrDefault(c => c.Id == id)).OfType<ArticleCard>().ToList();
    }
}
