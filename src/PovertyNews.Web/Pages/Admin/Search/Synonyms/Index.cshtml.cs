using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Pages.Admin.Search.Synonyms;

/// <summary>检索同义词: the synonym groups search expands query terms with; adding, changing and deleting a group.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, SynonymAdmin admin) : PageModel
{
    public sealed record Row(int Id, string Words, DateTime UpdatedAt);

    public sealed class InputModel
    {
        [Display(Name = "同义词组")]
        public string? Words { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The group whose change was refused: its row shows what was typed, and the messages.</summary>
    public int? EditingId { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct) =>
        await AnswerAsync(await admin.AddAsync(Input.Words, User.ToActor(), ct), editing: null, ct);

    public async Task<IActionResult> OnPostUpdateAsync(int id, CancellationToken ct) =>
        await AnswerAsync(await admin.UpdateAsync(id, Input.Words, User.ToActor(), ct), editing: id, ct);

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct) =>
        await AnswerAsync(await admin.DeleteAsync(id, User.ToActor(), ct), editing: null, ct);

    private async Task<IActionResult> AnswerAsync(Result result, int? editing, CancellationToken ct)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            EditingId = editing;
            await LoadAsync(ct);
            Response.StatusCode = result.StatusCode;
            return Page();
        }
        TempData.Flash(result);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "检索同义词";
        ViewData["AdminSection"] = "synonyms";
        Rows = await db.SearchSynonyms.AsNoTracking().OrderBy(s => s.Id)
            .Select(s => new Row(s.Id, s.Words, s.UpdatedAt)).ToListAsync(ct);
    }
}
