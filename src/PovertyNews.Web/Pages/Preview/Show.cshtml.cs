using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Pages.Articles;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Preview;

/// <summary>
/// A 预览链接 opened by anyone holding it: the one version it was made for, in the reader's layout, with the banner.
/// Not cached anywhere, not indexed, no referrer (<c>SecurityHeaders</c>); an expired or revoked link answers 410.
/// </summary>
public class ShowModel(NewsDbContext db, MarkdownRenderer markdown, PortalCache portal, RelatedListCache related, TimeProvider time,
    ILogger<ShowModel> logger) : PageModel
{
    public ArticleView? View { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!PreviewLink.LooksLikeToken(token))
        {
            return NotFound();
        }
        var link = await db.PreviewLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Token == token, ct);
        if (link is null)
        {
            return NotFound();
        }
        var status = await db.Articles.Where(a => a.Id == link.ArticleId).Select(a => a.Status).SingleAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        PageMeta.Set(ViewData, "稿件预览", noIndex: true);
        if (!link.IsUsableAt(now) || status is ArticleStatus.Withdrawn or ArticleStatus.Recycled)
        {
            Refusal = link.RevokedAt is not null ? "该预览链接已被撤销。"
                : status == ArticleStatus.Withdrawn ? "该稿件已撤回，预览链接不再有效。"
                : status == ArticleStatus.Recycled ? "该稿件已删除，预览链接不再有效。"
                : $"该预览链接已于 {ChinaTime.FormatDateTime(link.ExpiresAt)} 过期。";
            logger.LogInformation("Preview link {LinkId} of article {ArticleId} refused: {Reason}", link.Id, link.ArticleId, Refusal);
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        if (await RevisionPage.LoadAsync(db, markdown, link.ArticleId, link.RevisionNumber, ct) is not { } version)
        {
            return NotFound();
        }
        var settings = (await portal.GetAsync(ct)).Settings;
        var reading = await RevisionPage.RelatedAsync(db, related, version.Page, now, ct);
        View = new ArticleView(version.Page, settings, reading,
            $"此链接由{settings.SiteName}编辑部分享，有效至 {ChinaTime.FormatDateTime(link.ExpiresAt)}。发布前内容仍可能修改，请勿转载。");
        PageMeta.Set(ViewData, "预览：" + version.Page.Title, noIndex: true);
        logger.LogInformation("Preview link {LinkId} opened: revision {Revision} of article {ArticleId}", link.Id, link.RevisionNumber, link.ArticleId);
        return Page();
    }
}
