using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>
/// 稿签: the printable approval record of one article — every review cycle, who passed which level with which text,
/// and whether what readers see is what the last level passed. Shown to whoever may see the article's review page.
/// </summary>
public class ApprovalModel(ApprovalRecordBuilder builder) : PageModel
{
    public ApprovalRecord Record { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await builder.BuildAsync(id, User.ToActor(), ct) is not { } record)
        {
            return NotFound();
        }
        Record = record;
        ViewData["Title"] = $"稿签：{record.Title}";
        ViewData["AdminSection"] = "articles";
        return Page();
    }
}
