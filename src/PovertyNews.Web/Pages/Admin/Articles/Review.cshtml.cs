using Microsoft.AspNetCore.Authorization;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>An article as readers will see it, its way through 三审 so far, and the steps the signed-in person may take.</summary>
public class ReviewModel(NewsDbContext db, TimeProvider time, IOptions<NewsroomOptions> options, WorkflowService workflow,
    ArticleScreening screening, ArticleEditor editor, ArticleAccess access, IAuthorizationService authorization) : PageModel
{
    public Article Article { get; private set; } = null!;
    public string? OwnerName { get; private set; }
    public IReadOnlyList<WorkflowStep> Offered { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public string? ReadOnlyReason { get; private set; }
    public bool CanCurate { get; private set; }

    /// <summary>传播数据 of this article: once it has been published, for whoever may see its reads.</summary>
    public bool CanViewReads { get; private set; }
    public bool IsPublic { get; private set; }
    public DateTime Now { get; private set; }
    public int Levels { get; private set; }
    public string MinScheduleValue { get; private set; } = "";
    public SensitiveWordReport SensitiveWords { get; private set; } = SensitiveWordReport.Empty;

    /// <summary>The pending version (an edit of reviewed text waiting for its own review), or null.</summary>
    public PendingChangeView? Change { get; private set; }

    public sealed record PendingChangeView(int Revision, string Label, int Levels, DiffTable Diff, string? CorrectionNote);

    /// <summary>The step whose form failed, so its text is shown again rather than lost.</summary>
    public WorkflowStep? FailedStep { get; private set; }

    public const string StaleMessage = WorkflowService.StaleMessage;

    [BindProperty]
    public WorkflowInput Input { get; set; } = new();

    public sealed class WorkflowInput
    {
        /// <summary>The article's version when the form was shown: a step on an article that changed since is refused.</summary>
        public Guid Version { get; set; }

        [StringLength(WorkflowService.NoteMaxLength, ErrorMessage = "说明不能超过 {1} 个字。")]
        public string? Note { get; set; }

        /// <summary>定时发布 and 改期: a datetime-local value in China Standard Time.</summary>
        public string? At { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostSubmitAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Submit, ct);
    public Task<IActionResult> OnPostPassAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Pass, ct);
    public Task<IActionResult> OnPostSendBackAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.SendBack, ct);
    public Task<IActionResult> OnPostPublishAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Publish, ct);
    public Task<IActionResult> OnPostScheduleAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Schedule, ct);
    public Task<IActionResult> OnPostCorrectAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Correct, ct);
    public Task<IActionResult> OnPostWithdrawAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Withdraw, ct);
    public Task<IActionResult> OnPostPublishNowAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.PublishNow, ct);
    public Task<IActionResult> OnPostRescheduleAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Reschedule, ct);
    public Task<IActionResult> OnPostCancelScheduleAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.CancelSchedule, ct);
    public Task<IActionResult> OnPostReturnToDraftAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.ReturnToDraft, ct);
    public Task<IActionResult> OnPostSubmitChangeAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.SubmitChange, ct);
    public Task<IActionResult> OnPostPassChangeAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.PassChange, ct);
    public Task<IActionResult> OnPostSendBackChangeAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.SendBackChange, ct);
    public Task<IActionResult> OnPostDiscardChangeAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.DiscardChange, ct);
    public Task<IActionResult> OnPostSetOfflineAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.SetOffline, ct);
    public Task<IActionResult> OnPostCancelOfflineAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.CancelOffline, ct);
    public Task<IActionResult> OnPostSetEmbargoAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.SetEmbargo, ct);
    public Task<IActionResult> OnPostLiftEmbargoAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.LiftEmbargo, ct);
    public Task<IActionResult> OnPostRecycleAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Recycle, ct);
    public Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct) => RunAsync(id, WorkflowStep.Restore, ct);

    private async Task<IActionResult> RunAsync(int id, WorkflowStep step, CancellationToken ct)
    {
        var actor = User.ToActor();
        var article = await workflow.FindAsync(id, actor, ct);
        if (article is null)
        {
            return NotFound();
        }
        var result = ModelState.IsValid
            ? await workflow.ApplyAsync(article, actor, step, Input.Version, Input.Note, Input.At, ct)
            : Result.Refused();
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return RedirectToPage(new { id });
        }
        // Shows the page again, as it stands now, with the messages and the text that was typed.
        ModelState.AddErrors(result, "");
        FailedStep = step;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var actor = User.ToActor();
        var article = await db.Articles.AsNoTracking().AsSplitQuery()
            .Include(a => a.Channel).Include(a => a.Tags).Include(a => a.Reviews)
            .SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null || !await access.MayAsync(actor, article, ArticleOperations.View))
        {
            return false;
        }
        article.Reviews = [.. article.Reviews.OrderBy(r => r.At).ThenBy(r => r.Id)];
        var now = time.GetUtcNow().UtcDateTime;
        Article = article;
        Levels = options.Value.ReviewLevels;
        Offered = await workflow.OfferedAsync(article, actor, HttpContext.RequestAborted);
        var edit = await access.AuthorizeAsync(actor, ArticleFacts.Of(article), ArticleOperations.Edit);
        CanEdit = edit.Succeeded;
        // Read-only for this person (another desk, an administrator): the page says why instead of offering nothing.
        ReadOnlyReason = CanEdit || Offered.Count > 0 ? null : ArticleAccess.ReasonOf(edit);
        CanCurate = (await authorization.AuthorizeAsync(User, AccessPolicies.Curators)).Succeeded;
        CanViewReads = article.PublishedAt is not null && await access.MayAsync(actor, article, ArticleOperations.ViewReads);
        IsPublic = article.IsVisibleAt(now);
        Now = now;
        MinScheduleValue = WorkflowSteps.FormatChinaLocal(now.AddMinutes(1));
        OwnerName = article.OwnerId is null ? null
            : await db.Users.Where(u => u.Id == article.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        SensitiveWords = await screening.ScreenAsync(article, ct);
        if (await editor.PendingInputAsync(article, ct) is { } pending)
        {
            var channels = await editor.FormOptionsAsync(ct);
            Change = new PendingChangeView(article.PendingRevision!.Value,
                WorkflowSteps.ChangeLabel(article.PendingState, article.PendingReviewLevel), workflow.ChangeLevels,
                new DiffTable(TextDiff.Inline(ArticleText.Of(editor.InputFor(article), channels.ChannelLabel, withKind: true),
                    ArticleText.Of(pending, channels.ChannelLabel, withKind: true)), "读者看到的版本与待审修改的差异"),
                ArticleInput.Clean(pending.CorrectionNote));
            SensitiveWords = await screening.ScreenAsync(pending, ct); // the text under review is the pending one
        }
        ViewData["Title"] = $"审阅：{article.Title}";
        ViewData["AdminSection"] = "articles";
        return true;
    }
}
