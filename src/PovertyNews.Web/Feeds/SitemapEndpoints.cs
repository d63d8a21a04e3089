using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Feeds;

/// <summary>
/// /robots.txt and the sitemaps. A small site gets one list; a large one gets an index of monthly sitemaps
/// (CST months, split into numbered parts past <see cref="FeedOptions.UrlsPerSitemap"/>), each with its lastmod,
/// so a crawler refetches only the months that changed.
/// </summary>
public static class SitemapEndpoints
{
    private const string Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// <summary>Sitemaps list every visible article, the channels and the published topics (专题).</summary>
    private static readonly ReaderCacheAttribute Cached = new() { Tags = [CacheTags.Sitemaps, CacheTags.Navigation] };

    public static IEndpointRouteBuilder MapSitemaps(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/robots.txt", FeedEndpoints.GetOrHead, (HttpContext http) => Results.Bytes(Encoding.UTF8.GetBytes(
            $"User-agent: *\nDisallow: /admin\nDisallow: /search\n\nSitemap: {FeedEndpoints.BaseUrl(http.Request)}/sitemap.xml\n"),
            "text/plain; charset=utf-8"))
            .CacheOutput(new ReaderCacheAttribute());
        app.MapMethods("/sitemap.xml", FeedEndpoints.GetOrHead, SitemapAsync).CacheOutput(Cached);
        app.MapMethods("/sitemaps/pages.xml", FeedEndpoints.GetOrHead, PagesAsync).CacheOutput(Cached);
        app.MapMethods("/sitemaps/{year:int}-{month:int}.xml", FeedEndpoints.GetOrHead, (int year, int month, HttpContext http, NewsDbContext db,
                TimeProvider time, IOptions<FeedOptions> options, CancellationToken ct) =>
            MonthAsync(year, month, 1, http, db, time, options.Value, ct))
            .CacheOutput(Cached);
        app.MapMethods("/sitemaps/{year:int}-{month:int}-{part:int}.xml", FeedEndpoints.GetOrHead, (int year, int month, int part, HttpContext http,
                NewsDbContext db, TimeProvider time, IOptions<FeedOptions> options, CancellationToken ct) =>
            part < 2 ? Task.FromResult(Results.NotFound()) : MonthAsync(year, month, part, http, db, time, options.Value, ct))
            .CacheOutput(Cached);
        return app;
    }

    private sealed record MonthSummary(int Year, int Month, int Count, DateTime LastModified);

    private static async Task<IResult> SitemapAsync(HttpContext http, NewsDbContext db, PortalCache portal,
        TimeProvider time, IOptions<FeedOptions> options, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var visible = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));
        var limit = options.Value.SingleSitemapLimit;
        // Counting stops just past the limit: a large archive must not be counted in full on every fetch.
        if (await visible.Select(a => a.Id).Take(limit + 1).CountAsync(ct) <= limit)
        {
            var snapshot = await portal.GetAsync(ct);
            var articles = await visible.OrderByDescending(a => a.PublishedAt)
                .Select(a => new ArticleUrl(a.Id, a.Slug, a.UpdatedAt)).ToListAsync(ct);
            var baseUrl = FeedEndpoints.BaseUrl(http.Request);
            return FeedEndpoints.Xml(writer => UrlSet(writer, w =>
            {
                WritePages(w, baseUrl, snapshot, articles.Count > 0 ? articles.Max(a => a.UpdatedAt) : null);
                WriteArticles(w, baseUrl, articles);
            }), "application/xml; charset=utf-8", http);
        }

        var months = await MonthsAsync(visible, ct);
        var per = options.Value.UrlsPerSitemap;
        return FeedEndpoints.Xml(writer =>
        {
            var baseUrl = FeedEndpoints.BaseUrl(http.Request);
            writer.WriteStartDocument();
            writer.WriteStartElement("sitemapindex", Ns);
            Entry(writer, "sitemap", $"{baseUrl}/sitemaps/pages.xml", months.Count > 0 ? months.Max(m => m.LastModified) : null);
            foreach (var month in months)
            {
                var parts = (month.Count + per - 1) / per;
                for (var part = 1; part <= parts; part++)
                {
                    Entry(writer, "sitemap", $"{baseUrl}/sitemaps/{MonthName(month.Year, month.Month, part)}.xml", month.LastModified);
                }
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }, "application/xml; charset=utf-8", http);
    }

    private static async Task<IResult> PagesAsync(HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var lastModified = await db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime))
            .MaxAsync(a => (DateTime?)a.UpdatedAt, ct);
        var baseUrl = FeedEndpoints.BaseUrl(http.Request);
        return FeedEndpoints.Xml(writer => UrlSet(writer, w => WritePages(w, baseUrl, snapshot, lastModified)),
            "application/xml; charset=utf-8", http);
    }

    private static async Task<IResult> MonthAsync(int year, int month, int part, HttpContext http, NewsDbContext db,
        TimeProvider time, FeedOptions options, CancellationToken ct)
    {
        if (year is < 1990 or > 2200 || month is < 1 or > 12 || part > 1000)
        {
            return Results.NotFound();
        }
        var from = ChinaTime.StartOfDayUtc(new DateOnly(year, month, 1));
        var to = ChinaTime.StartOfDayUtc(new DateOnly(year, month, 1).AddMonths(1));
        var articles = await db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime))
            .Where(a => a.PublishedAt >= from && a.PublishedAt < to)
            .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id)
            .Skip((part - 1) * options.UrlsPerSitemap).Take(options.UrlsPerSitemap)
            .Select(a => new ArticleUrl(a.Id, a.Slug, a.UpdatedAt)).ToListAsync(ct);
        if (articles.Count == 0)
        {
            return Results.NotFound();
        }
        var baseUrl = FeedEndpoints.BaseUrl(http.Request);
        return FeedEndpoints.Xml(writer => UrlSet(writer, w => WriteArticles(w, baseUrl, articles)),
            "application/xml; charset=utf-8", http);
    }

    /// <summary>Published months in CST with their article count and latest change, newest month first.</summary>
    private static async Task<List<MonthSummary>> MonthsAsync(IQueryable<Article> visible, CancellationToken ct)
    {
        var cst = ChinaTime.Offset.TotalHours;
        var rows = await visible
            .GroupBy(a => new { a.PublishedAt!.Value.AddHours(cst).Year, a.PublishedAt!.Value.AddHours(cst).Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count(), LastModified = g.Max(a => a.UpdatedAt) })
            .ToListAsync(ct);
        return rows.OrderByDescending(r => r.Year).ThenByDescending(r => r.Month)
            .Select(r => new MonthSummary(r.Year, r.Month, r.Count, r.LastModified)).ToList();
    }

    private sealed record ArticleUrl(int Id, string Slug, DateTime UpdatedAt);

    private static string MonthName(int year, int month, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}") + (part > 1 ? $"-{part}" : "");

    private static void UrlSet(XmlWriter writer, Action<XmlWriter> body)
    {
        writer.WriteStartDocument();
        writer.WriteStartElement("urlset", Ns);
        body(writer);
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WritePages(XmlWriter writer, string baseUrl, PortalSnapshot snapshot, DateTime? lastModified)
    {
        Entry(writer, "url", baseUrl + "/", lastModified);
        // The video channel's address is the video listing, listed once.
        foreach (var channel in snapshot.Channels.Where(c => !c.IsHidden && c.Slug != PublicUrls.VideoChannelSlug))
        {
            Entry(writer, "url", baseUrl + PublicUrls.Channel(channel.Slug), null);
        }
        Entry(writer, "url", baseUrl + PublicUrls.Videos, null);
        Entry(writer, "url", $"{baseUrl}/archive", null);
        // 专题: published topics only (the snapshot holds no other), each with its last change.
        Entry(writer, "url", baseUrl + PublicUrls.Topics, snapshot.Topics.Count > 0 ? snapshot.Topics.Max(t => t.UpdatedAt) : null);
        foreach (var topic in snapshot.Topics)
        {
            Entry(writer, "url", baseUrl + topic.Url, topic.UpdatedAt);
        }
    }

    private static void WriteArticles(XmlWriter writer, string baseUrl, IEnumerable<ArticleUrl> articles)
    {
        foreach (var a in articles)
        {
            Entry(writer, "url", baseUrl + PublicUrls.Article(a.Id, a.Slug), a.UpdatedAt);
        }
    }

    private static void Entry(XmlWriter writer, string element, string loc, DateTime? lastModified)
    {
        writer.WriteStartElement(element, Ns);
        writer.WriteElementString("loc", Ns, loc);
        if (lastModified is { } m)
        {
            writer.WriteElementString("lastmod", Ns, ChinaTime.FormatIso(m));
        }
        writer.WriteEndElement();
    }
}
