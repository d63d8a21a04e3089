using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>
/// The editor's live preview: the posted Markdown rendered by the same renderer (and sanitizer) as a save, returned
/// as an HTML fragment. POST only, with the antiforgery token like every other POST. A few render at once
/// (<see cref="PreviewRateLimit"/>); beyond them and their queue the answer is 429 with Retry-After.
/// </summary>
[Authorize(Policy = AccessPolicies.Writers)]
[EnableRateLimiting(PreviewRateLimit.Name)]
[RequestFormLimits(ValueLengthLimit = ArticleEditor.FormValueLimit)]
public class PreviewModel(MarkdownRenderer markdown) : PageModel
{
    public IActionResult OnGet() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    public IActionResult OnPost([FromForm(Name = "Markdown")] string? text)
    {
        Response.Headers.CacheControl = "no-store";
        var body = ArticleEditor.NormalizeBody(text);
        if (body.Length > MarkdownRenderer.MaxLength)
        {
            return Message("正文过长（超过 1,000,000 个字符），请拆分为多篇稿件。");
        }
        try
        {
            return Content(markdown.Render(body), "text/html; charset=utf-8");
        }
        catch (MarkdownRejectedException ex)
        {
            return Message(ex.Message);
        }
    }

    private ContentResult Message(string text) => new()
    {
        StatusCode = StatusCodes.Status400BadRequest,
        Content = text,
        ContentType = "text/plain; charset=utf-8",
    };
}
