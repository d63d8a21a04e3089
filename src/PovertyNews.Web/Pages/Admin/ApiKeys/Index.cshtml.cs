using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Api;
using PovertyNews.Web.Api.Keys;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Pages.Admin.ApiKeys;

/// <summary>开放接口: partners' keys with their limits and use (the last seven days per day); create, change a limit, revoke.</summary>
[Authorize(Policy = AccessPolicies.ApiKeyManagers)]
public class IndexModel(NewsDbContext db, ApiKeyService keys, TimeProvider time, IOptions<ApiOptions> options) : PageModel
{
    public const int Days = 7;

    public sealed record Row(int Id, string Name, string Prefix, int RequestsPerMinute, DateTime CreatedAt, string CreatedBy,
        DateTime? RevokedAt, DateTime? LastUsedAt, long UseCount, IReadOnlyList<long> PerDay);

    public sealed class CreateInput
    {
        [Display(Name = "名称")]
        public string? Name { get; set; }

        [Display(Name = "每分钟请求数")]
        public int? RequestsPerMinute { get; set; }
    }

    [BindProperty]
    public CreateInput Input { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<DateOnly> LastDays { get; private set; } = [];
    public ApiOptions Settings => options.Value;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.RequestsPerMinute = options.Value.DefaultKeyRequestsPerMinute;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var result = ModelState.IsValid
            ? await keys.CreateAsync(Input.Name, Input.RequestsPerMinute, User.Identity?.Name ?? "", ct)
            : Result.Refused(new InputError(ApiKeyService.LimitField, "每分钟请求数应为整数。"));
        return await AnswerAsync(result, ct);
    }

    public async Task<IActionResult> OnPostLimitAsync(int id, int? limit, CancellationToken ct)
    {
        var result = await keys.ChangeLimitAsync(id, ModelState.IsValid ? limit : null, ct);
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        return await AnswerAsync(result, ct);
    }

    /// <summary>Done: back to the list with the flash (post-redirect-get). Refused: the list again with the messages and a 4xx.</summary>
    private async Task<IActionResult> AnswerAsync(Result result, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/ApiKeys/Index")!);
        }
        // The binder's own errors (a limit that is not a number) are already in the service's message.
        ModelState.Clear();
        ModelState.AddErrors(result);
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        var result = await keys.RevokeAsync(id, ct);
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/ApiKeys/Index")!);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "开放接口";
        ViewData["AdminSection"] = "api-keys";
        var today = ChinaTime.Today(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - Days);
        LastDays = Enumerable.Range(0, Days).Select(first.AddDays).ToList();
        var uses = (await db.ApiKeyDailyUses.AsNoTracking().Where(u => u.Day >= first).ToListAsync(ct))
            .ToLookup(u => u.ApiKeyId);
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt)
            .Select(k => new { k.Id, k.Name, k.Prefix, k.RequestsPerMinute, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.LastUsedAt, k.UseCount })
            .ToListAsync(ct);
        Rows = rows.Select(k => new Row(k.Id, k.Name, k.Prefix, k.RequestsPerMinute, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.LastUsedAt,
                k.UseCount, LastDays.Select(d => uses[k.Id].Where(u => u.Day == d).Sum(u => u.Requests)).ToList()))
            .ToList();
    }
}
