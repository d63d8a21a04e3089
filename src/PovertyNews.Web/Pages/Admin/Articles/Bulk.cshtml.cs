using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.BulkActions;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>
/// Where the action bar of the article list and the staff search posts (批量操作). The report goes back to the list the
/// selection came from, report by report; a request that cannot run at all (nothing selected, too many, no reason)
/// answers 400 with the reason and a way back.
/// </summary>
public class BulkModel(BulkActionService bulk) : PageModel
{
    public const string ReportKey = "BulkReport";

    [BindProperty] public BulkRequest Input { get; set; } = new();

    /// <summary>The list the selection was made on (local addresses only).</summary>
    [BindProperty] public string? ReturnUrl { get; set; }

    public string? Refusal { get; private set; }

    public string BackUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : Url.Page("/Admin/Articles/Index")!;

    public IActionResult OnGet() => Redirect(BackUrl);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ViewData["Title"] = "批量操作";
        ViewData["AdminSection"] = "articles";
        if (!ModelState.IsValid)
        {
            Refusal = "批量操作的内容无法识别，请返回列表重新选择。";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await bulk.ApplyAsync(Input, User.ToActor(), ct);
        if (!result.Succeeded || result.Value is not { } report)
        {
            Refusal = string.Join(" ", result.Messages);
            Response.StatusCode = result.StatusCode;
            return Page();
        }
        TempData[ReportKey] = JsonSerializer.Serialize(report);
        return Redirect(BackUrl);
    }

    /// <summary>The report kept for the list the user returns to, once.</summary>
    public static BulkReport? ReportFrom(Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataDictionary tempData) =>
        tempData[ReportKey] is string json ? JsonSerializer.Deserialize<BulkReport>(json) : null;
}
