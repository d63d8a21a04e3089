using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Publishing;

/// <summary>The stamp a pass or a release records for the 稿签: the hash of the text stored now and the revision that holds it.</summary>
public static class TextStamps
{
    /// <summary><paramref name="article"/> must be loaded with its tags, which are part of the text.</summary>
    public static async Task<TextStamp> OfAsync(NewsDbContext db, Article article, CancellationToken ct)
    {
        // Every save writes a revision, so the newest one holds the text being passed; an imported article may have none.
        var latest = await db.ArticleRevisions.Where(r => r.ArticleId == article.Id).MaxAsync(r => (int?)r.Number, ct);
        return new TextStamp(ApprovalText.Of(article).Sha256(), latest);
    }

    /// <summary>A change's level passes its pending version, which is a revision; null when the article has none.</summary>
    public static async Task<TextStamp?> OfPendingAsync(NewsDbContext db, Article article, CancellationToken ct)
    {
        var revision = article.PendingRevision is { } number
            ? await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ArticleId == article.Id && r.Number == number, ct)
            : null;
        return revision is null ? null : new TextStamp(ApprovalText.Of(revision).Sha256(), revision.Number);
    }
}
