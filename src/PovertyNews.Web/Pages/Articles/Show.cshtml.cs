using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Comments;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Articles;

// Reads are counted by the view-counting middleware, so a page served from the cache counts too.
[ReaderCache(ReaderQuery.CommentKey, Tags = [CacheTags.ArticleSettings])]
[CountsArticleRead]
public class ShowModel(NewsDbContext db, SqliteStatements statements, PortalCache portal, RelatedListCache related,
    TimeProvider time, IOptions<CommentOptions> commentOptions) : PageModel
{
    public const int RelatedCount = 6;

    public ArticlePage Article { get; private set; } = null!;
    public SiteSettings Settings { get; private set; } = null!;
    public IReadOnlyList<ArticleCard> Related { get; private set; } = [];
    public Neighbours Neighbours { get; private set; } = Neighbours.None;
    public bool IsWithdrawn { get; private set; }

    /// <summary>留言 under the report (see <see cref="ArticleComments"/>).</summary>
    public ArticleComments Comments { get; private set; } = ArticleComments.Disabled(0);

    /// <summary>Taken off the site at its 下线时间: gone like a withdrawn report, without the 撤稿 wording.</summary>
    public bool IsOffline { get; private set; }

    public sealed record ArticlePage(
        int Id, string Slug, string Title, string? Subtitle, string Summary, string BodyHtml,
        int ChannelId, string ChannelName, string ChannelSlug, List<TagLink> Tags,
        string? Source, string? ReprintedFrom, string? Author, string? ResponsibleEditor,
        string? ContactHotline, string? ContactWeChat, string? CoverImageUrl, string? CoverImageAlt,
        ArticleKind Kind, string? VideoUrl, string? VideoPosterUrl,
        ArticleStatus Status, DateTime? PublishedAt, DateTime? LastChangeAppliedAt,
        string? CorrectionNote, DateTime? CorrectedAt, DateTime? WithdrawnAt, DateTime? OfflineAt,
        double? VideoDurationSeconds, ArticleComments.Facts? CommentFacts = null)
    {
        public string Url => PublicUrls.Article(Id, Slug);

        /// <summary>
        /// When readers last got reviewed new text (dateModified): the publication, a correction or an applied change,
        /// whichever is latest. Saves that readers never saw (an import, a draft of a change, a view count) do not count.
        /// </summary>
        public DateTime? ModifiedAt =>
            new[] { PublishedAt, LastChangeAppliedAt, CorrectedAt }.Where(t => t is not null).DefaultIfEmpty(null).Max();

        private GalleryView? _gallery;

        /// <summary>A 图集's pictures, read from the body once per page (the page itself is output-cached).</summary>
        public GalleryView? Gallery => Kind == ArticleKind.Gallery ? _gallery ??= GalleryView.FromHtml(BodyHtml) : null;
    }

    public sealed record TagLink(int Id, string Name);

    public async Task<IActionResult> OnGetAsync([FromRoute] int id, [FromRoute] string? slug, CancellationToken ct)
    {
        // One opening of the connection for all the page's queries through EF Core (the article, its neighbours, its
        // comments; the openings inside them are counted, not repeated): opening and closing a pooled connection costs
        // more than one of these small queries. On SQLite the article and its neighbours come from prepared statements
        // on connections of their own, and a report without comments needs no other.
        var statementsOnly = statements.Available;
        if (!statementsOnly)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        try
        {
            return await ShowAsync(id, slug, ct);
        }
        finally
        {
            if (!statementsOnly)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private async Task<IActionResult> ShowAsync(int id, string? slug, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var article = await ArticleQueries.ArticleWithTagsAsync(db, statements, id, ct);
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
        if (Domain.Article.IsOffline(article.Status, article.OfflineAt, now))
        {
            IsOffline = true;
            PageMeta.Set(ViewData, "稿件已下线", noIndex: true);
            Response.StatusCode = StatusCodes.Status410Gone;
            HttpContext.TagOutput([CacheTags.Article(id)]);
            return Page();
        }
        if (!Domain.Article.IsVisible(article.Status, article.PublishedAt, article.OfflineAt, now))
        {
            return NotFound();
        }
        if (slug is not null && slug != article.Slug)
        {
            return RedirectPermanent(article.Url);
        }

        var tagIds = article.Tags.Select(t => t.Id).ToList();
        Related = await related.FindAsync(db, article.Id, article.ChannelId, tagIds, now, RelatedCount, ct);
        var newest = await related.ChannelAsync(db, article.ChannelId, now, ct);
        Neighbours = await ChannelNeighbours.FindAsync(db, statements, article.Id, article.ChannelId, article.PublishedAt!.Value,
            [.. newest.Select(c => c.Card)], now, ct);
        // A publication or withdrawal in the channel (RelatedByChannel) changes the neighbours; an edit, their titles.
        HttpContext.TagOutput([CacheTags.Article(id), CacheTags.RelatedByChannel(article.ChannelId),
            .. tagIds.Select(CacheTags.RelatedByTag), .. Related.Select(r => CacheTags.Article(r.Id)),
            .. new[] { Neighbours.Older, Neighbours.Newer }.OfType<ArticleCard>().Select(n => CacheTags.Article(n.Id))]);
        Comments = commentOptions.Value.Enabled
            ? await ArticleComments.LoadAsync(db, id, article.CommentFacts!, ReaderQuery.CommentNote(Request.Query), ct)
            : ArticleComments.Disabled(id);
        HttpContext.TagOutput([CacheTags.Comments(id)]);
        PageMeta.Set(ViewData, article.Title, article.Summary, article.Url);
        ViewData["Nav"] = snapshot.Channels.FirstOrDefault(c => c.Id == article.ChannelId) is { } channel
            ? snapshot.TopLevelOf(channel).Slug : null;
        return Page();
    }
}
