using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.SavedSearches;

namespace PovertyNews.Web.Pages.Admin.Search;

/// <summary>我的检索: the signed-in person's saved searches, to run, rename, delete and set an alert on.</summary>
public class SavedModel(NewsDbContext db, SavedSearchService saved) : PageModel
{
    public sealed record Row(int Id, string Name, string Query, bool Alert, DateTime CreatedAt);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The search whose form failed, so it shows the message next to it.</summary>
    public int? FailedId { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? query, bool alert, CancellationToken ct) =>
        await AfterAsync(await saved.CreateAsync(Me, name, query, alert, ct), null, ct);

    public async Task<IActionResult> OnPostRenameAsync(int id, string? name, CancellationToken ct) =>
        await AfterAsync(await saved.RenameAsync(Me, id, name, ct), id, ct);

    public async Task<IActionResult> OnPostAlertAsync(int id, bool alert, CancellationToken ct) =>
        await AfterAsync(await saved.SetAlertAsync(Me, id, alert, ct), id, ct);

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct) =>
        await AfterAsync(await saved.DeleteAsync(Me, id, ct), id, ct);

    public static string RunUrl(string query) => "/admin/search" + query;

    private string Me => User.ToActor().UserId;

    private async Task<IActionResult> AfterAsync(Result result, int? id, CancellationToken ct)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return LocalRedirect("/admin/search/saved");
        }
        ModelState.AddErrors(result, null);
        FailedId = id;
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "我的检索";
        ViewData["AdminSection"] = "search";
        var me = Me;
        Rows = await db.SavedSearches.AsNoTracking().Where(s => s.UserId == me).OrderBy(s => s.Name)
            .Select(s => new Row(s.Id, s.Name, s.Query, s.Alert, s.CreatedAt)).ToListAsync(ct);
    }
}
