using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>历史版本: every save of an article, a line diff of any two, and restoring one as a new revision.</summary>
// Read-only for whoever may view the article (administrators too); restoring needs the right to edit it.
public class RevisionsModel(NewsDbContext db, ArticleEditor editor, ArticleAccess access) : PageModel
{
    public int ArticleId { get; private set; }
    public string Title { get; private set; } = "";
    public bool CanRestore { get; private set; }
    public IReadOnlyList<RevisionRow> Revisions { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public int? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? To { get; set; }

    public DiffTable? Diff { get; private set; }
    public string? CompareMessage { get; private set; }

    public sealed record RevisionRow(int Number, string UserName, DateTime At, string? Note);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Title, Facts = new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt) })
            .SingleOrDefaultAsync(ct);
        var actor = User.ToActor();
        if (article is null || !await access.MayAsync(actor, article.Facts, ArticleOperations.View))
        {
            return NotFound();
        }
        ViewData["Title"] = "历史版本";
        ViewData["AdminSection"] = "articles";
        ArticleId = article.Id;
        Title = article.Title;
        CanRestore = await access.MayAsync(actor, article.Facts, ArticleOperations.Edit);
        Revisions = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id)
            .OrderByDescending(r => r.Number)
            .Select(r => new RevisionRow(r.Number, r.UserName, r.At, r.Note)).ToListAsync(ct);
        if (From is { } from && To is { } to)
        {
            await CompareAsync(id, from, to, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(int id, int number, CancellationToken ct)
    {
        var article = await editor.FindAsync(id, ct);
        var allowed = await editor.AccessAsync(article, User.ToActor());
        if (allowed != EditAccess.Allowed)
        {
            return allowed == EditAccess.NotFound ? NotFound() : this.Forbidden("您不能修改这篇稿件，因此不能恢复历史版本。");
        }
        var revision = await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ArticleId == id && r.Number == number, ct);
        if (revision is null)
        {
            return NotFound();
        }
        var result = await editor.RestoreAsync(article!, revision, User.ToActor(), ct);
        TempData[ResultExtensions.FlashKey] = result.Kind switch
        {
            ResultKind.Done => result.Message,
            ResultKind.Conflict => "恢复时稿件正被他人保存，请重试。",
            _ => $"第 {number} 版无法恢复：" + string.Join(" ", result.Errors.Select(e => e.Message)),
        };
        return Redirect(Url.Page(result.Kind == ResultKind.Done ? "/Admin/Articles/Edit" : "/Admin/Articles/Revisions", new { id })!);
    }

    private async Task CompareAsync(int id, int from, int to, CancellationToken ct)
    {
        var pair = await db.ArticleRevisions.AsNoTracking()
            .Where(r => r.ArticleId == id && (r.Number == from || r.Number == to)).ToListAsync(ct);
        var older = pair.FirstOrDefault(r => r.Number == from);
        var newer = pair.FirstOrDefault(r => r.Number == to);
        if (older is null || newer is null)
        {
            CompareMessage = $"找不到第 {(older is null ? from : to)} 版。";
            return;
        }
        var options = await editor.FormOptionsAsync(ct);
        Diff = new DiffTable(
            TextDiff.Inline(ArticleText.Of(older, options.ChannelLabel), ArticleText.Of(newer, options.ChannelLabel)),
            $"第 {from} 版与第 {to} 版的差异");
    }
}
