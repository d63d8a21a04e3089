using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;

namespace PovertyNews.Web.Pages.Articles;

/// <summary>
/// One saved version (a revision) as the reader's article page would show it, for the full-page preview and the
/// 预览链接: the revision's text, rendered by the same renderer as a save, with the article's status and times.
/// </summary>
internal static class RevisionPage
{
    /// <summary>
    /// The page of revision <paramref name="number"/>, or of the newest when null. An article with no revision at all
    /// (imported from content files or generated) shows its current text as number 0. Null when there is none.
    /// </summary>
    public static async Task<(ShowModel.ArticlePage Page, int Number)?> LoadAsync(NewsDbContext db, MarkdownRenderer markdown,
        int articleId, int? number, CancellationToken ct)
    {
        var revisions = db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == articleId);
        var revision = number is { } n
            ? await revisions.SingleOrDefaultAsync(r => r.Number == n, ct)
            : await revisions.OrderByDescending(r => r.Number).FirstOrDefaultAsync(ct);
        if (revision is null && number is null
            && await db.Articles.AsNoTracking().Include(a => a.Tags).SingleOrDefaultAsync(a => a.Id == articleId, ct) is { } current)
        {
            revision = ArticleRevision.Of(current, 0, new Actor("", "", new HashSet<string>()), current.UpdatedAt);
        }
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(a => new { a.Slug, a.Kind, a.VideoUrl, a.VideoPosterUrl, a.Status, a.PublishedAt, a.CorrectedAt, a.WithdrawnAt })
            .SingleOrDefaultAsync(ct);
        if (revision is null || article is null)
        {
            return null;
        }
        var channel = await db.Channels.AsNoTracking().Where(c => c.Id == revision.ChannelId)
            .Select(c => new { c.Name, c.Slug }).SingleOrDefaultAsync(ct);
        string body;
        try
        {
            body = markdown.Render(revision.BodyMarkdown);
        }
        catch (MarkdownRejectedException e)
        {
            body = $"<p class=\"notice\">{System.Net.WebUtility.HtmlEncode(e.Message)}</p>";
        }
        var names = revision.Tags.Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ids = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Name)).ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        // A tag new in this version has no id yet: shown, not used to find related reading.
        var tags = names.Select(name => new ShowModel.TagLink(ids.GetValueOrDefault(name), name)).ToList();
        var page = new ShowModel.ArticlePage(
            articleId, article.Slug, revision.Title, revision.Subtitle, revision.Summary, body,
            revision.ChannelId, channel?.Name ?? "", channel?.Slug ?? "", tags,
            revision.Source, revision.ReprintedFrom, revision.Author, revision.ResponsibleEditor,
            revision.ContactHotline, revision.ContactWeChat, revision.CoverImageUrl, revision.CoverImageAlt,
            revision.Kind ?? article.Kind, revision.Kind is null ? article.VideoUrl : revision.VideoUrl,
            revision.Kind is null ? article.VideoPosterUrl : revision.VideoPosterUrl,
            article.Status, article.PublishedAt, revision.At,
            revision.CorrectionNote, revision.CorrectionNote is null ? null : article.CorrectedAt ?? revision.At, null, null, null);
        return (page, revision.Number);
    }

    /// <summary>The 延伸阅读 the published page would list beside this version.</summary>
    public static Task<List<ArticleCard>> RelatedAsync(NewsDbContext db, RelatedListCache related, ShowModel.ArticlePage page,
        DateTime now, CancellationToken ct) =>
        related.FindAsync(db, page.Id, page.ChannelId, page.Tags.Where(t => t.Id > 0).Select(t => t.Id).ToList(), now,
            ShowModel.RelatedCount, ct);
}
