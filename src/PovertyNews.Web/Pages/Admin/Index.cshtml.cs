using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PovertyNews.Web.Pages.Admin;

// PLACEHOLDER dashboard: replaced by the workflow dashboard.
public class IndexModel : PageModel
{
    public void OnGet() => ViewData["Title"] = "工作台";
}
