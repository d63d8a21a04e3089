using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// 延伸阅读: articles sharing the most tags first, then the same channel, newest first — ranked among the newest
/// <see cref="CandidatesPerList"/> of the channel and of each tag, so the cost does not grow with the archive
/// (ranking every article of a channel or a common tag took hundreds of milliseconds at 100,000 articles).
/// </summary>
/// <remarks>
/// Candidates are published articles: one index walk per list. A scheduled article joins these lists when the
/// scheduler marks it published, within its interval of falling due; its own page and the listings show it on time.
/// The queries are compiled once: run per page view, LINQ's per-execution work cost more than SQLite's.
/// </remarks>
public static class RelatedArticles
{
    public const int CandidatesPerList = 12;

    private sealed record Candidate(int Id, DateTime PublishedAt, int ChannelId, int SharedTags);

    private static readonly CompiledPerModel<Func<NewsDbContext, int, int, DateTime, List<int>, IAsyncEnumerable<Candidate>>> OfChannel =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int articleId, int channelId, DateTime now, List<int> tagIds) =>
            db.Articles.AsNoTracking()
                .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published && a.PublishedAt <= now && a.Id != articleId)
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(CandidatesPerList)
                .Select(a => new Candidate(a.Id, a.PublishedAt!.Value, a.ChannelId, a.Tags.Count(t => tagIds.Contains(t.Id))))));

    private static readonly CompiledPerModel<Func<NewsDbContext, int, int, DateTime, List<int>, IAsyncEnumerable<Candidate>>> OfTag =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int articleId, int tagId, DateTime now, List<int> tagIds) =>
            db.Articles.AsNoTracking()
                .Where(a => a.Status == ArticleStatus.Published && a.PublishedAt <= now && a.Id != articleId && a.Tags.Any(t => t.Id == tagId))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(CandidatesPerList)
                .Select(a => new Candidate(a.Id, a.PublishedAt!.Value, a.ChannelId, a.Tags.Count(t => tagIds.Contains(t.Id))))));

    private static readonly CompiledPerModel<Func<NewsDbContext, List<int>, IAsyncEnumerable<ArticleCard>>> Cards =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, List<int> ids) =>
            db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(ArticleCard.Projection)));

    public static async Task<List<ArticleCard>> FindAsync(NewsDbContext db, int articleId, int channelId,
        IReadOnlyList<int> tagIds, DateTime now, int count, CancellationToken ct)
    {
        var tags = tagIds.ToList();
        var utc = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var candidates = new Dictionary<int, Candidate>();
        await foreach (var candidate in OfChannel.For(db)(db, articleId, channelId, utc, tags).WithCancellation(ct))
        {
            candidates[candidate.Id] = candidate;
        }
        foreach (var tagId in tags)
        {
            await foreach (var candidate in OfTag.For(db)(db, articleId, tagId, utc, tags).WithCancellation(ct))
            {
                candidates[candidate.Id] = candidate;
            }
        }
        var chosen = candidates.Values
            .OrderByDescending(c => c.SharedTags)
            .ThenByDescending(c => c.ChannelId == channelId)
            .ThenByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
            .Take(count).Select(c => c.Id).ToList();
        if (chosen.Count == 0)
        {
            return [];
        }
        var cards = new List<ArticleCard>();
        await foreach (var card in Cards.For(db)(db, chosen).WithCancellation(ct))
        {
            cards.Add(card);
        }
        return chosen.Select(id => cards.FirstOrDefault(c => c.Id == id)).OfType<ArticleCard>().ToList();
    }
}
