using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin;

public class SignOutModel(SignInManager<NewsUser> signIn, UserManager<NewsUser> users, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Admin/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await audit.WriteAsync(AuditActions.SignOut, $"user:{User.Identity?.Name}");
        // A new stamp ends every copy of this session (another browser, a stolen cookie), not just this browser's.
        if (await users.GetUserAsync(User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
        return Redirect(Url.Page("/Admin/SignIn")!);
    }
}
