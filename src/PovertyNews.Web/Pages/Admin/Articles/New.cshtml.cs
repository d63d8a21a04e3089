using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>写稿: the editor form for a new article; the first save creates the draft and continues on its edit page.</summary>
[Authorize(Policy = AccessPolicies.Writers)]
[RequestFormLimits(ValueLengthLimit = ArticleEditor.FormValueLimit)]
public class NewModel(ArticleEditor editor, ArticleAccess access) : PageModel, IKeepsInputOnStorageFailure
{
    [BindProperty]
    public ArticleInput Input { get; set; } = new();

    public EditorFormOptions Options { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Input.Author = User.ToActor().Name;
        return await FormAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            ModelState.AddErrors(Result.Refused(await editor.ValidateAsync(Input, ct)));
            return await FormAsync(ct);
        }
        var result = await editor.CreateAsync(Input, User.ToActor(), ct);
        if (result is not { Succeeded: true, Value: { } saved })
        {
            ModelState.AddErrors(result);
            var page = await FormAsync(ct);
            if (result.StatusCode == StatusCodes.Status403Forbidden)
            {
                page.StatusCode = StatusCodes.Status403Forbidden; // a channel outside the desk
            }
            return page;
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Articles/Edit", new { id = saved.ArticleId })!);
    }

    /// <summary>The disk was full or the database busy: the posted text comes back in the form, with the message (503).</summary>
    public async Task<IActionResult> FormAfterStorageFailureAsync(string? handler, CancellationToken ct) => await FormAsync(ct);

    private async Task<PageResult> FormAsync(CancellationToken ct)
    {
        ViewData["Title"] = "写稿";
        ViewData["AdminSection"] = "new";
        Options = await DeskOptions.LimitAsync(await editor.FormOptionsAsync(ct), access, User.ToActor(), null);
        return Page();
    }
}
