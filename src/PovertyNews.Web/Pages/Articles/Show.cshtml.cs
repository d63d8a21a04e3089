using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Articles;

public class ShowModel(NewsDbContext db, PortalCache portal, ViewCounter views, TimeProvider time) : PageModel
{
    public const int RelatedCount = 6;

    public ArticlePage Article { get; private set; } = null!;
    public SiteSettings Settings { get; private set; } = null!;
    public IReadOnlyList<ArticleCard> Related { get; private set; } = [];
    public bool IsWithdrawn { get; private set; }

    public sealed record ArticlePage(
        int Id, string Slug, string Title, string? Subtitle, string Summary, string BodyHtml,
        int ChannelId, string ChannelName, string ChannelSlug, List<string> Tags,
        string? Source, string? ReprintedFrom, string? Author, string? ResponsibleEditor,
        string? ContactHotline, string? ContactWeChat, string? CoverImageUrl, string? CoverImageAlt,
        ArticleKind Kind, string? VideoUrl, string? VideoPosterUrl,
        ArticleStatus Status, DateTime? PublishedAt, DateTime UpdatedAt,
        string? CorrectionNote, DateTime? CorrectedAt, DateTime? WithdrawnAt)
    {
        public string Url => $"/articles/{Id}/{Slug}";
    }

    public async Task<IActionResult> OnGetAsync(int id, string? slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new ArticlePage(
                a.Id, a.Slug, a.Title, a.Subtitle, a.Summary, a.BodyHtml,
                a.ChannelId, a.Channel!.Name, a.Channel.Slug, a.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
                a.Source, a.ReprintedFrom, a.Author, a.ResponsibleEditor,
                a.ContactHotline, a.ContactWeChat, a.CoverImageUrl, a.CoverImageAlt,
                a.Kind, a.VideoUrl, a.VideoPosterUrl,
                a.Status, a.PublishedAt, a.UpdatedAt,
                a.CorrectionNote, a.CorrectedAt, a.WithdrawnAt))
            .SingleOrDefaultAsync(ct);
        if (article is null)
        {
            return NotFound();
        }
        var snapshot = await portal.GetAsync(ct);
        Settings = snapshot.Settings;
        Article = article;
        if (article.Status == ArticleStatus.Withdrawn)
        {
            // 410 tells readers and crawlers the report was taken down on purpose, not mistyped.
            IsWithdrawn = true;
            PageMeta.Set(ViewData, "稿件已撤回", noIndex: true);
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        if (!Domain.Article.IsVisible(article.Status, article.PublishedAt, now))
        {
            return NotFound();
        }
        if (slug is not null && slug != article.Slug)
        {
            return RedirectPermanent(article.Url);
        }

        views.Record(id, Request.Headers.UserAgent);
        Related = await RelatedAsync(article, now, ct);
        PageMeta.Set(ViewData, article.Title, article.Summary, article.Url);
        ViewData["Nav"] = snapshot.Channels.FirstOrDefault(c => c.Id == article.ChannelId) is { } channel
            ? snapshot.TopLevelOf(channel).Slug : null;
        return Page();
    }

    /// <summary>延伸阅读: articles sharing the most tags first, then the same channel, newest first.</summary>
    private async Task<List<ArticleCard>> RelatedAsync(ArticlePage article, DateTime now, CancellationToken ct)
    {
        var tagNames = article.Tags;
        return await db.Articles.AsNoTracking().Where(Domain.Article.VisibleAt(now))
            .Where(a => a.Id != article.Id && (a.ChannelId == article.ChannelId || a.Tags.Any(t => tagNames.Contains(t.Name))))
            .OrderByDescending(a => a.Tags.Count(t => tagNames.Contains(t.Name)))
            .ThenByDescending(a => a.ChannelId == article.ChannelId)
            .ThenByDescending(a => a.PublishedAt)
            .Select(ArticleCard.Projection)
            .Take(RelatedCount)
            .ToListAsync(ct);
    }
}
