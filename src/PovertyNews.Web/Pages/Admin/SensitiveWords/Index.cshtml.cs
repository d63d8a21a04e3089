using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Pages.Admin.SensitiveWords;

/// <summary>敏感词: the list, searchable and paged for big lists, with adding, changing the action, deleting and export.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, SensitiveWordAdmin admin, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(int Id, string Word, SensitiveWordAction Action, string CreatedBy, DateTime CreatedAt);

    public sealed class AddInput
    {
        [Display(Name = "敏感词")]
        public string? Word { get; set; }

        [Display(Name = "处理方式")]
        public SensitiveWordAction Action { get; set; } = SensitiveWordAction.Flag;
    }

    [BindProperty]
    public AddInput Input { get; set; } = new();

    public string? Query { get; private set; }
    public SensitiveWordAction? Filter { get; private set; }
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyDictionary<SensitiveWordAction, int> Counts { get; private set; } = new Dictionary<SensitiveWordAction, int>();
    public int TotalWords => Counts.Values.Sum();
    public int TotalItems { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int TotalPages { get; private set; } = 1;

    public Task OnGetAsync(string? q, string? filter, [FromQuery(Name = "page")] string? pageNumber, CancellationToken ct) =>
        LoadAsync(q, filter, pageNumber, ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var result = ModelState.IsValid
            ? await admin.AddAsync(Input.Word, Input.Action, User.ToActor(), ct)
            : Result.Refused(new InputError(SensitiveWordAdmin.WordField, "请选择处理方式。"));
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            await LoadAsync(null, null, null, ct);
            Response.StatusCode = result.StatusCode;
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/SensitiveWords/Index")!);
    }

    // The list's page comes back as "p": "page" is the route value naming the Razor page.
    public async Task<IActionResult> OnPostSetActionAsync(int id, SensitiveWordAction action, string? q, string? filter, string? p, CancellationToken ct)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(action))
        {
            return BadRequest();
        }
        var result = await admin.SetActionAsync(id, action, User.ToActor(), ct);
        if (!result.Succeeded)
        {
            return NotFound();
        }
        TempData.Flash(result);
        return Redirect(UrlFor(q, filter, p));
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, string? q, string? filter, string? p, CancellationToken ct)
    {
        var result = await admin.DeleteAsync(id, User.ToActor(), ct);
        if (!result.Succeeded)
        {
            return NotFound();
        }
        TempData.Flash(result);
        return Redirect(UrlFor(q, filter, p));
    }

    /// <summary>The whole list as UTF-8 text, one "word TAB action" a line; the import page reads it back.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var text = await admin.ExportAsync(ct);
        var day = ChinaTime.FromUtc(time.GetUtcNow().UtcDateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return File(new UTF8Encoding(false).GetBytes(text), "text/plain; charset=utf-8", $"sensitive-words-{day}.txt");
    }

    /// <summary>This page with the given search, filter and page.</summary>
    public static string UrlFor(string? q, string? filter, string? page) =>
        QueryHelpers.AddQueryString("/admin/sensitive-words", new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            ["filter"] = ParseFilter(filter) is { } f ? SensitiveWord.ActionCode(f) : null,
            ["page"] = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1 ? n.ToString(CultureInfo.InvariantCulture) : null,
        }.Where(p => p.Value is not null));

    public string UrlFor(int pageNumber) =>
        UrlFor(Query, Filter is { } f ? SensitiveWord.ActionCode(f) : null, pageNumber.ToString(CultureInfo.InvariantCulture));

    private async Task LoadAsync(string? q, string? filter, string? pageNumber, CancellationToken ct)
    {
        ViewData["Title"] = "敏感词";
        ViewData["AdminSection"] = "sensitive-words";
        Query = new string((q ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim() is { Length: > 0 } text
            ? text[..Math.Min(text.Length, SensitiveWord.MaxLength)] : null;
        Filter = ParseFilter(filter);

        var counts = await db.SensitiveWords.AsNoTracking().GroupBy(w => w.Action)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Counts = counts.ToDictionary(c => c.Key, c => c.Count);

        var query = db.SensitiveWords.AsNoTracking();
        if (Query is not null && SensitiveText.Normalize(Query) is { Length: > 0 } normalized)
        {
            query = query.Where(w => w.NormalizedWord.Contains(normalized));
        }
        if (Filter is { } action)
        {
            query = query.Where(w => w.Action == action);
        }
        TotalItems = await query.CountAsync(ct);
        TotalPages = Math.Max(1, (TotalItems + PageSize - 1) / PageSize);
        PageNumber = int.TryParse(pageNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, TotalPages) : 1;
        Rows = await query.OrderByDescending(w => w.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(w => new Row(w.Id, w.Word, w.Action, w.CreatedBy, w.CreatedAt))
            .ToListAsync(ct);
    }

    private static SensitiveWordAction? ParseFilter(string? filter) =>
        string.IsNullOrWhiteSpace(filter) ? null : SensitiveWord.ParseAction(filter);
}
