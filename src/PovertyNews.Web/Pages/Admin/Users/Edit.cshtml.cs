using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Pages.Admin.Users;

/// <summary>
/// One account: roles, disable/enable, a new password. Each is its own form and handler, carried out by
/// <see cref="AccountService"/>, which audits it in the same transaction as the change.
/// </summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class EditModel(UserManager<NewsUser> users, SignInManager<NewsUser> signIn, AccountService accounts, SignInThrottle throttle) : PageModel
{
    public const string SelfDisableMessage = AccountService.SelfDisableMessage;
    public const string SelfAdminMessage = AccountService.SelfAdminMessage;

    public NewsUser Account { get; private set; } = null!;
    public IReadOnlyList<string> CurrentRoles { get; private set; } = [];
    public bool IsSelf { get; private set; }
    public DateTime? LockedOutUntil { get; private set; }
    public RolesInput RolesForm { get; private set; } = new();
    public PasswordInput PasswordForm { get; private set; } = new();

    public sealed class RolesInput
    {
        public List<string> Roles { get; set; } = [];
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "请填写新密码。")]
        [StringLength(1024, ErrorMessage = "密码过长。")]
        [DataType(DataType.Password)]
        [Display(Name = "新密码")]
        public string NewPassword { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        RolesForm.Roles = [.. CurrentRoles];
        return Page();
    }

    public async Task<IActionResult> OnPostRolesAsync(string id, [Bind(Prefix = nameof(RolesForm))] RolesInput input)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        RolesForm = input;
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await accounts.SetRolesAsync(Account, input.Roles, users.GetUserId(User), User.Identity?.Name);
        if (result.Succeeded && IsSelf)
        {
            // As after a new password: the new stamp would end this session too.
            await signIn.RefreshSignInAsync(Account);
        }
        return Show(result, nameof(RolesForm));
    }

    public async Task<IActionResult> OnPostDisableAsync(string id) =>
        await LoadAsync(id) ? Show(await accounts.DisableAsync(Account, users.GetUserId(User), User.Identity?.Name)) : NotFound();

    public async Task<IActionResult> OnPostEnableAsync(string id) =>
        await LoadAsync(id) ? Show(await accounts.EnableAsync(Account, User.Identity?.Name)) : NotFound();

    public async Task<IActionResult> OnPostPasswordAsync(string id, [Bind(Prefix = nameof(PasswordForm))] PasswordInput input)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        RolesForm.Roles = [.. CurrentRoles];
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await accounts.ResetPasswordAsync(Account, input.NewPassword, User.Identity?.Name);
        if (result.Succeeded && IsSelf)
        {
            // The new stamp would end this session too; a fresh cookie keeps the administrator signed in.
            await signIn.RefreshSignInAsync(Account);
        }
        return Show(result, nameof(PasswordForm));
    }

    private async Task<bool> LoadAsync(string id)
    {
        ViewData["AdminSection"] = "users";
        if (await users.FindByIdAsync(id) is not { } account)
        {
            return false;
        }
        Account = account;
        ViewData["Title"] = $"用户：{account.Email}";
        CurrentRoles = await accounts.RolesOfAsync(account);
        IsSelf = users.GetUserId(User) == account.Id;
        LockedOutUntil = (await throttle.LockedUntilAsync(account.Email))?.UtcDateTime;
        return true;
    }

    /// <summary>Back to the account with the flash after a change; the page again with the messages after a refusal.</summary>
    private IActionResult Show(Result result, string prefix = "")
    {
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result, prefix);
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Users/Edit", new { id = Account.Id })!);
    }
}
