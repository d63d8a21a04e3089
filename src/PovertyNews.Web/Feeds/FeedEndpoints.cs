using System.Security.Cryptography;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Feeds;

/// <summary>
/// RSS 2.0 feeds of the latest published articles, site-wide and per channel (sub-channels included). Each answer
/// carries an ETag of its bytes and a Last-Modified, so feed readers polling every few minutes mostly get a 304.
/// </summary>
public static class FeedEndpoints
{
    /// <summary>HEAD too: link checkers and some feed readers probe with it before fetching.</summary>
    internal static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    /// <summary>Feeds name the site and the channel, and carry the latest items' text.</summary>
    private static readonly ReaderCacheAttribute Cached = new() { Tags = [CacheTags.Feeds, CacheTags.Site, CacheTags.Navigation] };

    /// <summary>A 专题's feed lists what its page lists: evicted with the topic pages, and by edits of an item's text.</summary>
    private static readonly ReaderCacheAttribute TopicFeed = new() { Tags = [CacheTags.TopicFeeds, CacheTags.Feeds, CacheTags.Site] };

    private static readonly ReaderCacheAttribute SiteFeed = new() { Tags = [CacheTags.SiteFeed, CacheTags.Feeds, CacheTags.Site, CacheTags.Navigation] };

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/feed.xml", GetOrHead, (HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time,
                IOptions<FeedOptions> options, CancellationToken ct) =>
            FeedAsync(http, db, portal, time, options.Value, channelSlug: null, ct))
            .CacheOutput(SiteFeed);
        app.MapMethods("/channels/{slug}/feed.xml", GetOrHead, (string slug, HttpContext http, NewsDbContext db, PortalCache portal,
                TimeProvider time, IOptions<FeedOptions> options, CancellationToken ct) =>
            FeedAsync(http, db, portal, time, options.Value, slug, ct))
            .CacheOutput(Cached);
        app.MapMethods("/topics/{slug}/feed.xml", GetOrHead, (string slug, HttpContext http, NewsDbContext db, PortalCache portal,
                TimeProvider time, IOptions<FeedOptions> options, CancellationToken ct) =>
            TopicFeedAsync(http, db, portal, time, options.Value, slug, ct))
            .CacheOutput(TopicFeed);
        return app.MapSitemaps();
    }

    private static async Task<IResult> FeedAsync(
        HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, FeedOptions options, string? channelSlug,
        CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var inScope = db.Articles.AsNoTracking();
        var title = snapshot.Settings.SiteName;
        var baseUrl = BaseUrl(http.Request);
        var link = baseUrl + "/";
        if (channelSlug is not null)
        {
            if (snapshot.FindChannel(channelSlug) is not { } channel)
            {
                return snapshot.FindRedirect(channelSlug) is { } renamed
                    ? Results.Redirect($"{PublicUrls.ChannelFeed(renamed.Slug)}{http.Request.QueryString}", permanent: true)
                    : Results.NotFound();
            }
            http.TagOutput(CacheTags.ChannelFeed(channel.Id));
            var ids = snapshot.SubtreeIds(channel.Id);
            inScope = inScope.Where(a => ids.Contains(a.ChannelId));
            title = $"{channel.Name} - {snapshot.Settings.SiteName}";
            link = baseUrl + PublicUrls.Channel(channel.Slug);
        }
        var items = await inScope.Where(Article.VisibleAt(now)).OrderByDescending(a => a.PublishedAt).Take(options.FeedSize)
            .Select(Item)
            .ToListAsync(ct);
        // The feed last changed when an item was published or edited, or when an article left it by withdrawal.
        var lastWithdrawal = await inScope.Where(a => a.Status == ArticleStatus.Withdrawn).MaxAsync(a => a.WithdrawnAt, ct);
        return Render(http, snapshot, title, snapshot.Settings.Tagline ?? title, link, items, lastWithdrawal);
    }

    /// <summary>/topics/{slug}/feed.xml: the reports the topic's sections list (visible ones only), newest first.</summary>
    private static async Task<IResult> TopicFeedAsync(HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time,
        FeedOptions options, string slug, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (await TopicPage.LoadAsync(db, snapshot, slug, now, ct) is not { } topic)
        {
            return await TopicPage.RenamedAsync(db, slug, ct) is { } renamed
                ? Results.Redirect($"{PublicUrls.TopicFeed(renamed)}{http.Request.QueryString}", permanent: true)
                : Results.NotFound();
        }
        var ids = topic.ArticleIds.Take(options.FeedSize).ToList();
        var rows = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).Where(Article.VisibleAt(now)).Select(Item).ToListAsync(ct);
        var items = rows.OrderByDescending(i => i.PublishedAt).ThenByDescending(i => i.Id).ToList();
        var baseUrl = BaseUrl(http.Request);
        return Render(http, snapshot, $"{topic.Title} - 专题 - {snapshot.Settings.SiteName}",
            topic.Summary.Length > 0 ? topic.Summary : topic.Title, baseUrl + topic.Url, items, topic.UpdatedAt);
    }

    private sealed record FeedItem(int Id, string Slug, string Title, string Summary, string BodyHtml, DateTime PublishedAt, DateTime UpdatedAt,
        string Channel, List<string> Tags, string? Author, string? Source);

    private static readonly System.Linq.Expressions.Expression<Func<Article, FeedItem>> Item = a => new FeedItem(
        a.Id, a.Slug, a.Title, a.Summary, a.BodyHtml, a.PublishedAt!.Value, a.UpdatedAt,
        a.Channel!.Name, a.Tags.Select(t => t.Name).ToList(), a.Author, a.Source);

    /// <param name="changedAt">A change besides the items' own (a withdrawal, a topic's edit), for Last-Modified.</param>
    private static IResult Render(HttpContext http, PortalSnapshot snapshot, string title, string description, string link,
        List<FeedItem> items, DateTime? changedAt)
    {
        var baseUrl = BaseUrl(http.Request);
        var feed = new SyndicationFeed(HtmlText(title), HtmlText(description), new Uri(link))
        {
            Language = "zh-CN",
            Copyright = new TextSyndicationContent(snapshot.Settings.CopyrightOwner),
            LastUpdatedTime = items.Count > 0 ? new DateTimeOffset(items.Max(i => i.UpdatedAt), TimeSpan.Zero).ToOffset(ChinaTime.Offset) : default,
        };
        feed.AttributeExtensions.Add(new XmlQualifiedName("content", "http://www.w3.org/2000/xmlns/"), ContentNamespace);
        feed.Items = items.Select(a =>
        {
            var url = new Uri(baseUrl + PublicUrls.Article(a.Id, a.Slug));
            var item = new SyndicationItem(HtmlText(a.Title), HtmlText(a.Summary), url, url.ToString(), ChinaTime.FromUtc(a.UpdatedAt))
            {
                PublishDate = ChinaTime.FromUtc(a.PublishedAt),
            };
            // RSS 2.0 has one <description>; the formatter would fill it with Content and drop the summary. The
            // full text goes in content:encoded instead, which feed readers show in place of the description.
            item.ElementExtensions.Add("encoded", ContentNamespace, a.BodyHtml);
            item.Categories.Add(new SyndicationCategory(a.Channel));
            foreach (var tag in a.Tags)
            {
                item.Categories.Add(new SyndicationCategory(tag));
            }
            if (a.Author is not null)
            {
                item.Authors.Add(new SyndicationPerson { Name = a.Author });
            }
            return item;
        }).ToList();

        var lastModified = items.Select(i => i.UpdatedAt).Concat(items.Select(i => i.PublishedAt))
            .Append(changedAt ?? DateTime.MinValue).DefaultIfEmpty(DateTime.MinValue).Max();
        return Xml(writer => new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false).WriteTo(writer),
            "application/rss+xml; charset=utf-8", http, lastModified == DateTime.MinValue ? null : lastModified);
    }

    /// <summary>
    /// Writes the document to memory (Kestrel refuses synchronous writes, and XmlWriter is synchronous) and answers
    /// with a strong ETag of its bytes. The framework's file result then answers If-None-Match and
    /// If-Modified-Since with 304.
    /// </summary>
    internal static IResult Xml(Action<XmlWriter> write, string contentType, HttpContext http, DateTime? lastModified = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            write(writer);
        }
        var bytes = buffer.ToArray();
        var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"");
        // Feed readers revalidate; they must not keep a copy past a withdrawal without asking.
        http.Response.Headers.CacheControl = "public, no-cache";
        return Results.Bytes(bytes, contentType, lastModified: lastModified is { } m ? ChinaTime.FromUtc(m) : null, entityTag: tag);
    }

    /// <summary>
    /// Plain text for an RSS title or description. Feed readers show those as HTML, so the text is escaped for HTML
    /// here and for XML by the writer: a title with markup shows as written instead of running. Only the five markup
    /// characters are escaped, so Chinese text stays as characters.
    /// </summary>
    public static string HtmlText(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    public static string BaseUrl(HttpRequest request) => PublicOrigin.BaseUrlOf(request);
}
