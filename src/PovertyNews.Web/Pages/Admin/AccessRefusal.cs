using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PovertyNews.Web.Pages.Admin;

/// <summary>
/// A 403 that says why. The status code page (<c>/error/403</c>) is re-executed on the same request, so the reason
/// travels in <see cref="HttpContext.Items"/> and the error page shows it instead of its generic text.
/// </summary>
public static class AccessRefusal
{
    public const string ItemKey = "PovertyNews.AccessRefusal";

    public static IActionResult Forbidden(this PageModel page, string? reason)
    {
        if (!string.IsNullOrEmpty(reason))
        {
            page.HttpContext.Items[ItemKey] = reason;
        }
        return page.StatusCode(StatusCodes.Status403Forbidden);
    }

    public static string? ReasonOf(HttpContext context) => context.Items[ItemKey] as string;
}
