using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Pages.Articles;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>
/// 整页预览: a saved version in the reader's layout (sidebars, 来源/时间, 版权声明 …) under the banner 预览，未发布, and
/// its 预览链接 for people outside the newsroom. For whoever may view the article; links for whoever may share it.
/// </summary>
public class ReaderPreviewModel(NewsDbContext db, MarkdownRenderer markdown, PortalCache portal, RelatedListCache related,
    ArticleAccess access, PreviewLinks links, TimeProvider time) : PageModel
{
    public ArticleView View { get; private set; } = null!;
    public int ArticleId { get; private set; }
    public int Number { get; private set; }
    public int NewestNumber { get; private set; }
    public bool CanShare { get; private set; }
    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    [BindProperty]
    public ShareInput Input { get; set; } = new();

    public sealed class ShareInput
    {
        public int Days { get; set; } = PreviewLinks.LifetimeDays[0];
    }

    public sealed record LinkRow(int Id, int RevisionNumber, string Token, string CreatedByName, DateTime CreatedAt,
        DateTime ExpiresAt, DateTime? RevokedAt, string? RevokedByName, bool Usable);

    public Task<IActionResult> OnGetAsync(int id, int? number, CancellationToken ct) => ShowAsync(id, number, ct);

    public async Task<IActionResult> OnPostShareAsync(int id, int number, CancellationToken ct)
    {
        var result = await links.CreateAsync(id, number, Input.Days, User.ToActor(), ct);
        return await AfterAsync(result, id, number, ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, int number, int linkId, CancellationToken ct)
    {
        var result = await links.RevokeAsync(id, linkId, User.ToActor(), ct);
        return await AfterAsync(result, id, number, ct);
    }

    private async Task<IActionResult> AfterAsync(Result result, int id, int number, CancellationToken ct)
    {
        if (result.Kind is ResultKind.NotFound)
        {
            return NotFound();
        }
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/Articles/ReaderPreview", new { id, number })! + "#preview-links");
        }
        ModelState.AddErrors(result, prefix: null);
        var page = await ShowAsync(id, number, ct);
        Response.StatusCode = result.Kind == ResultKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        return page;
    }

    private async Task<IActionResult> ShowAsync(int id, int? number, CancellationToken ct)
    {
        number = number is 0 ? null : number; // 0: the current text of an article never saved in the newsroom
        var facts = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(ArticleFacts.Projection)
            .SingleOrDefaultAsync(ct);
        var actor = User.ToActor();
        if (facts is null || !await access.MayAsync(actor, facts, ArticleOperations.View)
            || await RevisionPage.LoadAsync(db, markdown, id, number, ct) is not { } version)
        {
            return NotFound();
        }
        var saved = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id && r.Number == version.Number)
            .Select(r => new { r.UserName, r.At }).SingleOrDefaultAsync(ct);
        ArticleId = id;
        Number = version.Number;
        NewestNumber = await db.ArticleRevisions.Where(r => r.ArticleId == id).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        CanShare = await access.MayAsync(actor, facts, ArticleOperations.SharePreview);
        var now = time.GetUtcNow().UtcDateTime;
        Links = (await db.PreviewLinks.AsNoTracking().Where(l => l.ArticleId == id).OrderByDescending(l => l.Id).ToListAsync(ct))
            .Select(l => new LinkRow(l.Id, l.RevisionNumber, l.Token, l.CreatedByName, l.CreatedAt, l.ExpiresAt, l.RevokedAt,
                l.RevokedByName, l.IsUsableAt(now)))
            .ToList();
        var settings = (await portal.GetAsync(ct)).Settings;
        var reading = await RevisionPage.RelatedAsync(db, related, version.Page, now, ct);
        View = new ArticleView(version.Page, settings, reading, saved is null
            ? "稿件的当前内容（尚无保存记录，例如从内容文件导入的稿件）。读者看到的页面与此相同。"
            : $"第 {version.Number} 版，{saved.UserName} 保存于 {ChinaTime.FormatDateTime(saved.At)}。读者看到的页面与此相同。");
        PageMeta.Set(ViewData, "预览：" + version.Page.Title, noIndex: true);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
