using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Topics;

namespace PovertyNews.Web.Pages.Admin.Topics;

/// <summary>新建专题: the topic's own fields; sections and timeline follow on its edit page.</summary>
[Authorize(Policy = AccessPolicies.TopicManagers)]
public class NewModel(TopicService topics) : PageModel
{
    [BindProperty]
    public TopicInput Input { get; set; } = new() { Position = "0" };

    public void OnGet() => Describe();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The service checks everything (and in Chinese); the binder's own messages are not wanted.
        ModelState.Clear();
        var result = await topics.CreateAsync(Input, ct);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            Response.StatusCode = result.StatusCode;
            Describe();
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Topics/Edit", new { id = result.Value })!);
    }

    private void Describe()
    {
        ViewData["Title"] = "新建专题";
        ViewData["AdminSection"] = "topics";
    }
}
