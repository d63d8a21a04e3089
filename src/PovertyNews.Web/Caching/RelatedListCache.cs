using System.Globalization;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Caching;

/// <summary>
/// 延伸阅读 from lists kept between pages: every article of a channel or tag ranks the same newest candidates, so
/// they are read once and kept in <see cref="ReaderDataCache"/> until a change evicts them — a publication or
/// withdrawal in the channel or tag (<see cref="CacheTags.RelatedByChannel"/>, <see cref="CacheTags.RelatedByTag"/>),
/// an edit of an article in the list (its <see cref="CacheTags.Article"/>), a renamed channel (the navigation). A
/// page then costs no query for 延伸阅读 at all.
/// </summary>
public sealed class RelatedListCache(ReaderDataCache cache)
{
    public async Task<List<ArticleCard>> FindAsync(NewsDbContext db, int articleId, int channelId, IReadOnlyCollection<int> tagIds,
        DateTime now, int count, CancellationToken ct)
    {
        var lists = new List<IReadOnlyList<RelatedArticles.Candidate>>(tagIds.Count + 1)
        {
            await ChannelAsync(db, channelId, now, ct),
        };
        foreach (var tagId in tagIds)
        {
            lists.Add(await ListAsync("tag", tagId, CacheTags.RelatedByTag(tagId),
                ct => RelatedArticles.NewestOfTagAsync(db, tagId, now, ct), ct));
        }
        return RelatedArticles.Choose(articleId, channelId, tagIds, lists, now, count);
    }

    /// <summary>The channel's newest reports, newest first (also what 上一篇/下一篇 look in first).</summary>
    public Task<IReadOnlyList<RelatedArticles.Candidate>> ChannelAsync(NewsDbContext db, int channelId, DateTime now, CancellationToken ct) =>
        ListAsync("channel", channelId, CacheTags.RelatedByChannel(channelId), ct => RelatedArticles.NewestOfChannelAsync(db, channelId, now, ct), ct);

    private Task<IReadOnlyList<RelatedArticles.Candidate>> ListAsync(string kind, int id, string tag,
        Func<CancellationToken, Task<IReadOnlyList<RelatedArticles.Candidate>>> read, CancellationToken ct) =>
        cache.GetOrLoadAsync(string.Create(CultureInfo.InvariantCulture, $"related:{kind}:{id}"), async ct =>
        {
            var list = await read(ct);
            return (list, list.Select(c => CacheTags.Article(c.Card.Id)).Append(tag).Append(CacheTags.Navigation));
        }, ct);
}
