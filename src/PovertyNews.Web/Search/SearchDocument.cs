using System.Text;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search;

/// <summary>The article fields the index reads, as one flat row.</summary>
public sealed record SearchSource(
    int Id, string Title, string? Subtitle, string Summary, string BodyHtml, string? Source, string? Author,
    IReadOnlyList<string> Tags, int ChannelId, ArticleKind Kind, ArticleStatus Status, DateTime? PublishedAt, DateTime CreatedAt,
    string? OwnerId, DateTime? WentOfflineAt = null);

/// <summary>
/// An article as the index stores it: each searchable field as a string of index tokens, and the facets the
/// filters use as plain tokens in a column of their own, so a filter is one more term in the index query.
/// </summary>
public sealed record SearchDocument(
    long Key, string Title, string Lead, string Body, string Source, string Author, string Tags, string Facets)
{
    /// <summary>
    /// Facet token of articles readers may find (subject to the time bound on the key). Every facet token mixes
    /// letters and digits; text tokens never do (the analyzer splits letters from digits), so the two cannot meet.
    /// </summary>
    public const string VisibleFacet = "v1";

    public static string StatusFacet(ArticleStatus status) => $"s{(int)status}";
    public static string KindFacet(ArticleKind kind) => $"k{(int)kind}";
    public static string ChannelFacet(int channelId) => $"c{channelId}";

    /// <summary>Owner ids are GUIDs; kept to letters and digits they stay one token.</summary>
    public static string OwnerFacet(string ownerId) => "o0" + new string(ownerId.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();

    /// <param name="parents">Channel id to parent id, so an article is found under every ancestor channel.</param>
    public static SearchDocument From(SearchSource a, IReadOnlyDictionary<int, int?> parents)
    {
        var facets = new StringBuilder();
        // Gone at its 下线时间: staff still find it (by status), readers no longer do.
        if (a.Status is ArticleStatus.Published or ArticleStatus.Scheduled && a.WentOfflineAt is null)
        {
            facets.Append(VisibleFacet).Append(' ');
        }
        facets.Append(StatusFacet(a.Status)).Append(' ').Append(KindFacet(a.Kind));
        if (!string.IsNullOrEmpty(a.OwnerId))
        {
            facets.Append(' ').Append(OwnerFacet(a.OwnerId));
        }
        int? channel = a.ChannelId;
        for (var depth = 0; channel is { } id && depth < 16; depth++)
        {
            facets.Append(' ').Append(ChannelFacet(id));
            channel = parents.GetValueOrDefault(id);
        }

        var fields = TextFields(a.Title, a.Subtitle, a.Summary, a.BodyHtml, a.Source, a.Author, a.Tags);
        return new SearchDocument(SearchKey.For(a.Id, a.PublishedAt ?? a.CreatedAt),
            fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], facets.ToString());
    }

    /// <summary>
    /// The searchable fields as index tokens separated by spaces, in the index's column order (title, lead, body,
    /// source, author, tags): what the index stores, and what ranking counts when it reads an article's text.
    /// </summary>
    public static string[] TextFields(string title, string? subtitle, string? summary, string? bodyHtml, string? source,
        string? author, IEnumerable<string> tags)
    {
        var lead = new StringBuilder();
        ChineseText.AppendIndexTokens(lead, subtitle);
        ChineseText.AppendIndexTokens(lead, summary);
        var tagTokens = new StringBuilder();
        foreach (var tag in tags)
        {
            ChineseText.AppendIndexTokens(tagTokens, tag);
        }
        return
        [
            ChineseText.IndexTokens(title),
            lead.ToString(),
            ChineseText.IndexTokens(HtmlText.ToText(bodyHtml)),
            ChineseText.IndexTokens(source),
            ChineseText.IndexTokens(author),
            tagTokens.ToString(),
        ];
    }
}

/// <summary>
/// The index orders documents by a key that is the article's time followed by its id, so "newest first" is the
/// index's own order, a date range is a key range, and "not yet due" is everything above now's key.
/// </summary>
public static class SearchKey
{
    private const int IdBits = 28;
    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static long For(int articleId, DateTime at) => (Seconds(at) << IdBits) | (uint)articleId;

    public static int ArticleId(long key) => (int)(key & ((1L << IdBits) - 1));

    /// <summary>The smallest key at or after <paramref name="at"/>.</summary>
    public static long Lowest(DateTime at) => Seconds(at) << IdBits;

    /// <summary>The largest key at or before <paramref name="at"/>.</summary>
    public static long Highest(DateTime at) => (Seconds(at) << IdBits) | ((1L << IdBits) - 1);

    /// <summary>The time a key was made from (to the second).</summary>
    public static DateTime Time(long key) => Epoch.AddSeconds(key >> IdBits);

    private static long Seconds(DateTime at) =>
        Math.Clamp((long)Math.Floor((at.ToUniversalTime() - Epoch).TotalSeconds), 0, (1L << (62 - IdBits)) - 1);
}
