using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>
/// <c>/articles/{id}/share.jpg</c>, an article's share image, <c>/articles/{id}/qr.svg</c>, the QR code of its public
/// address (<see cref="QrCodes"/>), and <c>/share/default.jpg</c>, the site's share image. Asked with the
/// <c>?v=</c> the pages write they are cached for a year; asked with another (an old page, a hand-typed address) they
/// answer the current image, cached briefly.
/// </summary>
public static class ShareEndpoints
{
    private const string BriefCache = "public, max-age=300";

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder app)
    {
        // The literal segment outranks the article page's optional slug, so this is never read as a slug.
        app.MapMethods("/articles/{id:int}/share.jpg", ["GET", "HEAD"], async (int id, string? v, NewsDbContext db,
            ShareImages images, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.Status, a.PublishedAt, a.OfflineAt, a.CoverImageUrl, a.VideoPosterUrl })
                .FirstOrDefaultAsync(ct);
            // Drafts, withdrawn and offline reports have no share image: nothing is drawn for what readers cannot see.
            if (article is null || !Article.IsVisible(article.Status, article.PublishedAt, article.OfflineAt, now))
            {
                return Results.NotFound();
            }
            return await ServeAsync(http, images, ShareImages.SourceOf(article.CoverImageUrl, article.VideoPosterUrl),
                await SiteAsync(db, ct), v, ct);
        });
        app.MapMethods("/articles/{id:int}/qr.svg", ["GET", "HEAD"], async (int id, string? v, NewsDbContext db, TimeProvider time,
            HttpContext http, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.Slug, a.Status, a.PublishedAt, a.OfflineAt })
                .FirstOrDefaultAsync(ct);
            // Only what readers can see has a code: a draft's address is not public yet.
            if (article is null || !Article.IsVisible(article.Status, article.PublishedAt, article.OfflineAt, now))
            {
                return Results.NotFound();
            }
            var address = PublicOrigin.BaseUrlOf(http.Request) + PublicUrls.Article(id, article.Slug);
            http.Response.Headers[HeaderNames.CacheControl] = v == QrCodes.Version(address) ? MediaSetup.CacheControl : BriefCache;
            http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return Results.Text(QrCodes.Svg(address), QrCodes.ContentType);
        });
        app.MapMethods("/share/default.jpg", ["GET", "HEAD"], async (string? v, NewsDbContext db, ShareImages images,
            HttpContext http, CancellationToken ct) => await ServeAsync(http, images, null, await SiteAsync(db, ct), v, ct));
        return app;
    }

    private static async Task<SiteText> SiteAsync(NewsDbContext db, CancellationToken ct) =>
        await db.SiteSettings.AsNoTracking().Select(s => new SiteText(s.SiteName, s.Tagline)).SingleOrDefaultAsync(ct)
        ?? new SiteText(new SiteSettings().SiteName, null);

    private static async Task<IResult> ServeAsync(HttpContext http, ShareImages images, string? source, SiteText site, string? v,
        CancellationToken ct)
    {
        var path = await images.FileAsync(source, site, ct);
        if (path is null)
        {
            http.Response.Headers.RetryAfter = "10";
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        http.Response.Headers[HeaderNames.CacheControl] = v == ShareImages.Version(source, site) ? MediaSetup.CacheControl : BriefCache;
        http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.File(path, "image/jpeg", lastModified: File.GetLastWriteTimeUtc(path));
    }
}
