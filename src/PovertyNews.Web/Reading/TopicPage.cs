using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Reading;

/// <summary>What a 专题 page shows: the topic, its sections with their newest visible reports, and its 大事记.</summary>
public sealed record TopicPage(
    int Id,
    string Slug,
    string Title,
    string Summary,
    string IntroductionHtml,
    string? BannerImageUrl,
    string? BannerImageAlt,
    DateTime PublishedAt,
    DateTime UpdatedAt,
    IReadOnlyList<TopicPageSection> Sections,
    IReadOnlyList<TopicPageEntry> Timeline)
{
    public string Url => PublicUrls.Topic(Slug);

    /// <summary>Sections with something to read; a section whose source has no visible report yet is left out.</summary>
    public IEnumerable<TopicPageSection> ShownSections => Sections.Where(s => s.Items.Count > 0);

    /// <summary>
    /// The published topic at <paramref name="slug"/>, or null (unknown or unpublished). Only visible reports are ever
    /// listed (<see cref="Article.VisibleAt"/>): a draft, a scheduled report before its time, a withdrawn or offline
    /// one appears in no section, and a timeline entry links its report only while readers can open it.
    /// </summary>
    public static async Task<TopicPage?> LoadAsync(NewsDbContext db, PortalSnapshot snapshot, string slug, DateTime now, CancellationToken ct)
    {
        if (snapshot.Topics.FirstOrDefault(t => t.Slug == slug) is not { } card)
        {
            return null;
        }
        var topic = await db.Topics.AsNoTracking().AsSplitQuery().Where(t => t.Id == card.Id && t.IsPublished)
            .Select(t => new
            {
                t.IntroductionHtml,
                Sections = t.Sections.OrderBy(s => s.Position).ThenBy(s => s.Id)
                    .Select(s => new { s.Id, s.Title, s.Source, s.TagId, s.ChannelId, s.MaxItems }).ToList(),
                Timeline = t.Timeline.OrderBy(e => e.Date).ThenBy(e => e.Id).Select(e => new { e.Date, e.Text, e.ArticleId }).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (topic is null)
        {
            // Unpublished since the snapshot was built: gone for readers now, not at the next rebuild.
            return null;
        }
        // A report appears once on the page: hand-picked sections are the editors' explicit choice and are filled
        // first; a tag or channel section then lists its newest reports not already shown above it or hand-picked.
        var filled = new Dictionary<int, TopicPageSection>();
        var shown = new HashSet<int>();
        foreach (var s in topic.Sections.Where(s => s.Source == TopicSectionSource.Articles))
        {
            filled[s.Id] = await SectionAsync(db, snapshot, s.Id, s.Title, s.Source, s.TagId, s.ChannelId, s.MaxItems, [], now, ct);
            shown.UnionWith(filled[s.Id].Items.Select(c => c.Id));
        }
        foreach (var s in topic.Sections.Where(s => s.Source != TopicSectionSource.Articles))
        {
            filled[s.Id] = await SectionAsync(db, snapshot, s.Id, s.Title, s.Source, s.TagId, s.ChannelId, s.MaxItems, [.. shown], now, ct);
            shown.UnionWith(filled[s.Id].Items.Select(c => c.Id));
        }
        var sections = topic.Sections.Select(s => filled[s.Id]).ToList();
        var linked = topic.Timeline.Select(e => e.ArticleId).OfType<int>().Distinct().ToList();
        var links = linked.Count == 0 ? [] : await db.Articles.AsNoTracking().Where(a => linked.Contains(a.Id)).Where(Article.VisibleAt(now))
            .Select(a => new { a.Id, a.Slug }).ToDictionaryAsync(a => a.Id, a => PublicUrls.Article(a.Id, a.Slug), ct);
        var timeline = topic.Timeline
            .Select(e => e.ArticleId is { } id && links.TryGetValue(id, out var url)
                ? new TopicPageEntry(e.Date, e.Text, url, id)
                : new TopicPageEntry(e.Date, e.Text, null)).ToList();
        return new TopicPage(card.Id, card.Slug, card.Title, card.Summary, topic.IntroductionHtml, card.BannerImageUrl, card.BannerImageAlt,
            card.PublishedAt, card.UpdatedAt, sections, timeline);
    }

    /// <summary>
    /// The current slug of the published topic that was once at <paramref name="slug"/>, or null. Asked only when no
    /// topic has the slug, so a renamed topic costs its old links one lookup and a permanent redirect.
    /// </summary>
    public static Task<string?> RenamedAsync(NewsDbContext db, string slug, CancellationToken ct) =>
        db.TopicRedirects.AsNoTracking().Where(r => r.OldSlug == slug)
            .Join(db.Topics.Where(t => t.IsPublished), r => r.TopicId, t => t.Id, (r, t) => t.Slug)
            .FirstOrDefaultAsync(ct);

    /// <summary>The reports the page lists, each once, newest first: what its feed carries.</summary>
    public IReadOnlyList<int> ArticleIds => Sections.SelectMany(s => s.Items).DistinctBy(c => c.Id)
        .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToList();

    private static async Task<TopicPageSection> SectionAsync(NewsDbContext db, PortalSnapshot snapshot, int id, string title,
        TopicSectionSource source, int? tagId, int? channelId, int maxItems, List<int> exclude, DateTime now, CancellationToken ct)
    {
        var take = Math.Clamp(maxItems, TopicRules.MaxItemsRange.Min, TopicRules.MaxItemsRange.Max);
        var articles = db.Articles.AsNoTracking();
        if (exclude.Count > 0)
        {
            articles = articles.Where(a => !exclude.Contains(a.Id));
        }
        switch (source)
        {
            case TopicSectionSource.Tag when tagId is { } tag:
                var name = await db.Tags.AsNoTracking().Where(t => t.Id == tag).Select(t => t.Name).SingleOrDefaultAsync(ct);
                return new TopicPageSection(id, title, name is null ? null : PublicUrls.Tag(name), name is null ? null : $"更多“{name}”报道",
                    await NewestVisible.CardsAsync(articles.Where(a => a.Tags.Any(t => t.Id == tag)), now, take, ct));
            case TopicSectionSource.Channel when channelId is { } channel && snapshot.Channels.FirstOrDefault(c => c.Id == channel) is { } link:
                // Like the channel page: the channel and every channel below it.
                var ids = snapshot.SubtreeIds(channel);
                return new TopicPageSection(id, title, PublicUrls.Channel(link.Slug), $"更多{link.Name}报道",
                    await NewestVisible.CardsAsync(articles.Where(a => ids.Contains(a.ChannelId)), now, take, ct));
            case TopicSectionSource.Articles:
                var picked = await db.TopicSectionArticles.AsNoTracking().Where(p => p.SectionId == id)
                    .OrderBy(p => p.Position).Select(p => p.ArticleId).ToListAsync(ct);
                var cards = await articles.Where(a => picked.Contains(a.Id)).Where(Article.VisibleAt(now)).Select(ArticleCard.Projection).ToListAsync(ct);
                return new TopicPageSection(id, title, null, null,
                    picked.Select(p => cards.FirstOrDefault(c => c.Id == p)).OfType<ArticleCard>().ToList());
            default:
                // The tag or channel was deleted since (the key is set to null): the section is empty, the topic stays.
                return new TopicPageSection(id, title, null, null, []);
        }
    }
}

public sealed record TopicPageSection(int Id, string Title, string? MoreUrl, string? MoreText, IReadOnlyList<ArticleCard> Items);

public sealed record TopicPageEntry(DateOnly Date, string Text, string? ArticleUrl, int? ArticleId = null)
{
    public string DateText => Date.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    public string DateIso => Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
