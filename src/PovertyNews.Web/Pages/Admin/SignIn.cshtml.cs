using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Pages.Admin;

[EnableRateLimiting(AccountsSetup.SignInRateLimit)]
public class SignInModel(NewsSignInManager signIn, AuditLog audit) : PageModel
{
    /// <summary>One message for an unknown address, a wrong password, a locked or disabled account: none reveals which.</summary>
    public const string FailureMessage = "邮箱或密码不正确，或账户暂时无法登录。从同一网络连续失败 5 次后，该账户在此网络上将锁定 15 分钟。";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "请填写邮箱。")]
        [EmailAddress(ErrorMessage = "邮箱地址格式不正确。")]
        [StringLength(256)]
        [Display(Name = "邮箱")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "请填写密码。")]
        [StringLength(1024)]
        [DataType(DataType.Password)]
        [Display(Name = "密码")]
        public string Password { get; set; } = "";
    }

    public void OnGet() => ViewData["Title"] = "登录";

    public async Task<IActionResult> OnPostAsync()
    {
        ViewData["Title"] = "登录";
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var (result, user) = await signIn.SignInWithPasswordAsync(Input.Email.Trim(), Input.Password,
            SignInThrottle.SourceOf(HttpContext.Connection.RemoteIpAddress));
        if (result.Succeeded)
        {
            await audit.WriteAsync(AuditActions.SignInSucceeded, $"user:{user!.Email}", userName: user.Email);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/admin", StringComparison.Ordinal) ? ReturnUrl : Url.Page("/Admin/Index")!);
        }
        await audit.WriteAsync(result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed,
            $"user:{Input.Email.Trim()}", result.IsNotAllowed ? "账户已停用" : user is null ? "未知账户" : null, userName: Input.Email.Trim());
        ModelState.AddModelError("", FailureMessage);
        return Page();
    }
}
