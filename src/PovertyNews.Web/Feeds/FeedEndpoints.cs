using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Feeds;

/// <summary>RSS 2.0 feeds, the sitemap and robots.txt: the portal as feed readers and crawlers see it.</summary>
public static class FeedEndpoints
{
    public const int FeedSize = 50;

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.xml", (HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, CancellationToken ct) =>
            FeedAsync(http, db, portal, time, channelSlug: null, ct));
        app.MapGet("/channels/{slug}/feed.xml", (string slug, HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, CancellationToken ct) =>
            FeedAsync(http, db, portal, time, slug, ct));
        app.MapGet("/robots.txt", (HttpContext http) => Results.Text(
            $"User-agent: *\nDisallow: /admin\nDisallow: /search\n\nSitemap: {BaseUrl(http.Request)}/sitemap.xml\n",
            "text/plain; charset=utf-8"));
        app.MapGet("/sitemap.xml", SitemapAsync);
        return app;
    }

    private static async Task<IResult> FeedAsync(
        HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, string? channelSlug, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Articles.AsNoTracking().Where(Article.VisibleAt(now));
        var title = snapshot.Settings.SiteName;
        var baseUrl = BaseUrl(http.Request);
        var link = baseUrl + "/";
        if (channelSlug is not null)
        {
            if (snapshot.FindChannel(channelSlug) is not { } channel)
            {
                return snapshot.FindRedirect(channelSlug) is { } renamed
                    ? Results.Redirect($"/channels/{renamed.Slug}/feed.xml{http.Request.QueryString}", permanent: true)
                    : Results.NotFound();
            }
            var ids = snapshot.SubtreeIds(channel.Id);
            query = query.Where(a => ids.Contains(a.ChannelId));
            title = $"{channel.Name} - {snapshot.Settings.SiteName}";
            link = $"{baseUrl}/channels/{channel.Slug}";
        }
        var items = await query.OrderByDescending(a => a.PublishedAt).Take(FeedSize)
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Summary, a.BodyHtml, PublishedAt = a.PublishedAt!.Value, a.UpdatedAt,
                Channel = a.Channel!.Name, Tags = a.Tags.Select(t => t.Name).ToList(), a.Author, a.Source,
            })
            .ToListAsync(ct);

        var feed = new SyndicationFeed(title, snapshot.Settings.Tagline ?? title, new Uri(link))
        {
            Language = "zh-CN",
            Copyright = new TextSyndicationContent(snapshot.Settings.CopyrightOwner),
            LastUpdatedTime = items.Count > 0 ? new DateTimeOffset(items.Max(i => i.UpdatedAt), TimeSpan.Zero).ToOffset(ChinaTime.Offset) : default,
        };
        feed.Items = items.Select(a =>
        {
            var url = new Uri($"{baseUrl}/articles/{a.Id}/{a.Slug}");
            var item = new SyndicationItem(a.Title, a.Summary, url, url.ToString(), ChinaTime.FromUtc(a.UpdatedAt))
            {
                PublishDate = ChinaTime.FromUtc(a.PublishedAt),
                Content = new TextSyndicationContent(a.BodyHtml, TextSyndicationContentKind.Html),
            };
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

        return Xml(writer => new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false).WriteTo(writer),
            "application/rss+xml; charset=utf-8");
    }

    private static async Task<IResult> SitemapAsync(HttpContext http, NewsDbContext db, PortalCache portal, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await portal.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var baseUrl = BaseUrl(http.Request);
        var articles = await db.Articles.AsNoTracking().Where(Article.VisibleAt(now))
            .OrderByDescending(a => a.PublishedAt).Take(45_000)
            .Select(a => new { a.Id, a.Slug, a.UpdatedAt })
            .ToListAsync(ct);
        return Xml(writer =>
        {
            const string ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
            writer.WriteStartDocument();
            writer.WriteStartElement("urlset", ns);
            void Url(string loc, DateTime? lastmod)
            {
                writer.WriteStartElement("url", ns);
                writer.WriteElementString("loc", ns, loc);
                if (lastmod is { } m)
                {
                    writer.WriteElementString("lastmod", ns, ChinaTime.FormatIso(m));
                }
                writer.WriteEndElement();
            }
            Url(baseUrl + "/", articles.Count > 0 ? articles.Max(a => a.UpdatedAt) : null);
            foreach (var channel in snapshot.Channels.Where(c => !c.IsHidden))
            {
                Url($"{baseUrl}/channels/{channel.Slug}", null);
            }
            foreach (var a in articles)
            {
                Url($"{baseUrl}/articles/{a.Id}/{a.Slug}", a.UpdatedAt);
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }, "application/xml; charset=utf-8");
    }

    // Written to memory first: Kestrel refuses synchronous writes to the response, and XmlWriter is synchronous.
    private static IResult Xml(Action<XmlWriter> write, string contentType)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            write(writer);
        }
        return Results.Bytes(buffer.ToArray(), contentType);
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
