using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Operations.Failures;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Admin.Articles;

// No role gate here: the access policy answers per article, so an administrator reading it learns why editing is refused.
[RequestFormLimits(ValueLengthLimit = ArticleEditor.FormValueLimit)]
public class EditModel(NewsDbContext db, ArticleEditor editor, ArticleScreening screening, TimeProvider time, ArticleAccess access) : PageModel, IKeepsInputOnStorageFailure
{
    [BindProperty]
    public ArticleInput Input { get; set; } = new();

    public EditorFormOptions Options { get; private set; } = null!;
    public ArticleHeader Header { get; private set; } = null!;

    /// <summary>The current automatic summary, shown as the empty summary field's placeholder.</summary>
    public string? AutomaticSummary { get; private set; }

    /// <summary>Listed words in the saved article, shown above the form.</summary>
    public SensitiveWordReport SensitiveWords { get; private set; } = SensitiveWordReport.Empty;

    /// <summary>Set when a save met someone else's: the page shows both versions instead of the form.</summary>
    public ConflictView? Conflict { get; private set; }

    public sealed record ArticleHeader(int Id, string Title, ArticleStatus Status, string PublicUrl, bool IsVisible,
        int? Revision, string? RevisionUser, DateTime? RevisionAt, bool KeepsReviewedText, int? PendingRevision, string? PendingLabel,
        DateTime? EmbargoUntil, string? EmbargoNote);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var article = await editor.FindAsync(id, ct);
        if (await RefuseAsync(article) is { } refusal)
        {
            return refusal;
        }
        // An article with a pending version is edited where the pending version stands, not from the live text.
        var pending = await editor.PendingInputAsync(article!, ct);
        Input = pending ?? ArticleInput.From(article!);
        var page = await FormAsync(article!, ct);
        if (pending is null && AutomaticSummary is not null)
        {
            Input.Summary = null; // shown as the placeholder; left empty, the summary keeps following the body
        }
        SensitiveWords = await screening.ScreenAsync(Input, ct);
        return page;
    }

    public Task<IActionResult> OnPostAsync(int id, CancellationToken ct) => SaveAsync(id, SaveKind.Manual, ct);

    /// <summary>保留我的版本: the input of the conflict page, saved on top of the version it showed as theirs.</summary>
    public Task<IActionResult> OnPostKeepMineAsync(int id, CancellationToken ct) => SaveAsync(id, SaveKind.KeepMine, ct);

    /// <summary>Drafts only; answers JSON for editor.js: {savedAt, savedAtText, version, revision} or 409 on a conflict.</summary>
    public async Task<IActionResult> OnPostAutosaveAsync(int id, CancellationToken ct)
    {
        var article = await editor.FindAsync(id, ct);
        if (await RefuseAsync(article) is { } refusal)
        {
            return refusal;
        }
        if (article!.Status != ArticleStatus.Draft)
        {
            return Json(StatusCodes.Status400BadRequest, new { message = "只有草稿会自动保存，请手动保存。" });
        }
        if (!ModelState.IsValid)
        {
            return Json(StatusCodes.Status400BadRequest, new { message = "未自动保存：" + FirstError() });
        }
        var result = await editor.SaveAsync(article, Input, User.ToActor(), SaveKind.Autosave, ct);
        return result switch
        {
            { Kind: ResultKind.Conflict } => Json(StatusCodes.Status409Conflict,
                new { message = "他人已保存了这篇稿件的新版本，自动保存已暂停。请点击“保存”比较两个版本。" }),
            { Succeeded: true, Value: { } saved } => Json(StatusCodes.Status200OK, new
            {
                savedAt = ChinaTime.FormatIso(saved.At),
                savedAtText = ChinaTime.FromUtc(saved.At).ToString("HH:mm"),
                version = saved.Version,
                revision = saved.Revision,
                replaced = SensitiveWordReport.ReplacedMessage(saved.Replaced),
            }),
            _ => Json(result.StatusCode, new { message = "未自动保存：" + result.Messages.First() }),
        };
    }

    private async Task<IActionResult> SaveAsync(int id, SaveKind kind, CancellationToken ct)
    {
        var article = await editor.FindAsync(id, ct);
        if (await RefuseAsync(article) is { } refusal)
        {
            return refusal;
        }
        if (!ModelState.IsValid)
        {
            ModelState.AddErrors(Result.Refused(await editor.ValidateAsync(Input, ct)));
            return await FormAsync(article!, ct);
        }
        _saving = article;
        var result = await editor.SaveAsync(article!, Input, User.ToActor(), kind, ct);
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/Articles/Edit", new { id })!);
        }
        if (result.Kind != ResultKind.Conflict)
        {
            ModelState.AddErrors(result);
            var form = await FormAsync(article!, ct);
            if (result.StatusCode == StatusCodes.Status403Forbidden)
            {
                form.StatusCode = StatusCodes.Status403Forbidden; // moved to a channel outside the desk
            }
            return form;
        }
        // The conflict view shows both versions side by side instead of a message.
        Conflict = await editor.ConflictAsync(id, Input, ct);
        if (Conflict is null)
        {
            return NotFound();
        }
        ModelState.Remove("Input.Version");
        var page = await FormAsync(article!, ct);
        page.StatusCode = StatusCodes.Status409Conflict;
        return page;
    }

    /// <summary>The disk was full or the database busy: the posted text comes back in the form, with the message (503).</summary>
    public async Task<IActionResult> FormAfterStorageFailureAsync(string? handler, CancellationToken ct) =>
        handler == "Autosave" ? Json(StatusCodes.Status503ServiceUnavailable, new { message = "未自动保存：" + StorageFailure.Message })
        : _saving is { } article ? await FormAsync(article, ct) : NotFound();

    /// <summary>The article a save is writing, for <see cref="FormAfterStorageFailureAsync"/>.</summary>
    private Article? _saving;

    /// <summary>Not found for whom the article is hidden; 403 with the policy's reason for whom it is read-only.</summary>
    private async Task<IActionResult?> RefuseAsync(Article? article)
    {
        var actor = User.ToActor();
        if (article is null || !await access.MayAsync(actor, article, ArticleOperations.View))
        {
            return NotFound();
        }
        var edit = await access.AuthorizeAsync(actor, ArticleFacts.Of(article), ArticleOperations.Edit);
        return edit.Succeeded ? null : this.Forbidden(ArticleAccess.ReasonOf(edit) ?? "您不能修改这篇稿件。");
    }

    private async Task<PageResult> FormAsync(Article article, CancellationToken ct)
    {
        ViewData["Title"] = "编辑稿件";
        ViewData["AdminSection"] = "articles";
        Options = await DeskOptions.LimitAsync(await editor.FormOptionsAsync(ct), access, User.ToActor(), article.ChannelId);
        var latest = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == article.Id)
            .OrderByDescending(r => r.Number).Select(r => new { r.Number, r.UserName, r.At }).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        AutomaticSummary = editor.HasAutomaticSummary(article) ? article.Summary : null;
        Header = new ArticleHeader(article.Id, db.Entry(article).Property(a => a.Title).OriginalValue, article.Status,
            PublicUrls.Article(article.Id, article.Slug), article.IsVisibleAt(now), latest?.Number, latest?.UserName, latest?.At,
            article.KeepsReviewedText, article.PendingRevision,
            article.HasPendingChange ? WorkflowSteps.ChangeLabel(article.PendingState, article.PendingReviewLevel) : null,
            article.IsEmbargoedAt(now) ? article.EmbargoUntil : null, article.EmbargoNote);
        return Page();
    }

    private string FirstError() =>
        ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).FirstOrDefault(m => m.Length > 0) ?? "输入有误。";

    // Chinese messages go out as characters rather than \uXXXX escapes (HTML-sensitive characters stay escaped).
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static JsonResult Json(int status, object value) => new(value, JsonOptions) { StatusCode = status };
}
