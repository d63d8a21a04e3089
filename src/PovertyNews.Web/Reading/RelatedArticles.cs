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
/// The lists are the same for every article of a channel or tag, so callers keep them between pages
/// (see <c>Caching.RelatedListCache</c>) and only the ranking, <see cref="Choose"/>, is done per article.
/// The queries are compiled once: run per list, LINQ's per-execution work cost more than SQLite's.
/// </remarks>
public static class RelatedArticles
{
    public const int CandidatesPerList = 12;

    /// <summary>One more than a page takes from a list: the article itself may be among the newest.</summary>
    private const int ListLength = CandidatesPerList + 1;

    /// <summary>An article of a list, with its tags (to count the ones it shares with the article being read).</summary>
    public sealed record Candidate(ArticleCard Card, int[] TagIds);

    private static readonly CompiledPerModel<Func<NewsDbContext, int, DateTime, IAsyncEnumerable<ArticleCard>>> OfChannel =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int channelId, DateTime now) =>
            db.Articles.AsNoTracking()
                .Where(a => a.ChannelId == channelId && a.Status == ArticleStatus.Published && a.PublishedAt <= now
                    && (a.OfflineAt == null || a.OfflineAt > now))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(ListLength)
                .Select(ArticleCard.Projection)));

    private static readonly CompiledPerModel<Func<NewsDbContext, int, DateTime, IAsyncEnumerable<ArticleCard>>> OfTag =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, int tagId, DateTime now) =>
            db.Articles.AsNoTracking()
                .Where(a => a.Status == ArticleStatus.Published && a.PublishedAt <= now && (a.OfflineAt == null || a.OfflineAt > now)
                    && a.Tags.Any(t => t.Id == tagId))
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(ListLength)
                .Select(ArticleCard.Projection)));

    private sealed record TagLink(int ArticleId, int TagId);

    private static readonly CompiledPerModel<Func<NewsDbContext, List<int>, IAsyncEnumerable<TagLink>>> TagLinks =
        new(() => EF.CompileAsyncQuery((NewsDbContext db, List<int> ids) =>
            db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).SelectMany(a => a.Tags, (a, t) => new TagLink(a.Id, t.Id))));

    /// <summary>The newest published articles of a channel, newest first.</summary>
    public static Task<IReadOnlyList<Candidate>> NewestOfChannelAsync(NewsDbContext db, int channelId, DateTime now, CancellationToken ct) =>
        WithTagsAsync(db, OfChannel.For(db)(db, channelId, Utc(now)), ct);

    /// <summary>The newest published articles carrying a tag, newest first.</summary>
    public static Task<IReadOnlyList<Candidate>> NewestOfTagAsync(NewsDbContext db, int tagId, DateTime now, CancellationToken ct) =>
        WithTagsAsync(db, OfTag.For(db)(db, tagId, Utc(now)), ct);

    /// <summary>
    /// The <paramref name="count"/> best of the lists for an article: most shared tags, then its own channel, then
    /// the newest. Articles not yet visible at <paramref name="now"/> are left out (a list may be older than now).
    /// </summary>
    public static List<ArticleCard> Choose(int articleId, int channelId, IReadOnlyCollection<int> tagIds,
        IEnumerable<IReadOnlyList<Candidate>> lists, DateTime now, int count)
    {
        var candidates = new Dictionary<int, (ArticleCard Card, int SharedTags)>();
        foreach (var list in lists)
        {
            foreach (var candidate in list.Where(c => c.Card.Id != articleId && c.Card.PublishedAt <= now).Take(CandidatesPerList))
            {
                candidates.TryAdd(candidate.Card.Id, (candidate.Card, candidate.TagIds.Count(tagIds.Contains)));
            }
        }
        return candidates.Values
            .OrderByDescending(c => c.SharedTags)
            .ThenByDescending(c => c.Card.ChannelId == channelId)
            .ThenByDescending(c => c.Card.PublishedAt).ThenByDescending(c => c.Card.Id)
            .Take(count).Select(c => c.Card).ToList();
    }

    private static async Task<IReadOnlyList<Candidate>> WithTagsAsync(NewsDbContext db, IAsyncEnumerable<ArticleCard> rows, CancellationToken ct)
    {
        var cards = new List<ArticleCard>(ListLength);
        await foreach (var card in rows.WithCancellation(ct))
        {
            cards.Add(card);
        }
        if (cards.Count == 0)
        {
            return [];
        }
        var tags = cards.ToDictionary(c => c.Id, _ => new List<int>());
        await foreach (var link in TagLinks.For(db)(db, cards.Select(c => c.Id).ToList()).WithCancellation(ct))
        {
            tags[link.ArticleId].Add(link.TagId);
        }
        return cards.Select(c => new Candidate(c, [.. tags[c.Id]])).ToList();
    }

    private static DateTime Utc(DateTime now) => DateTime.SpecifyKind(now, DateTimeKind.Utc);
}
