using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.Users;

/// <summary>
/// One account: roles, disable/enable, a new password. Each is its own form and handler; each is audited in the
/// same transaction as the change. Disabling and a new password renew the security stamp, which ends the user's
/// other sessions at the next stamp check (within a minute).
/// </summary>
[Authorize(Roles = NewsRoles.Administrator)]
public class EditModel(NewsDbContext db, UserManager<NewsUser> users, SignInManager<NewsUser> signIn, AuditLog audit,
    TimeProvider time, ILogger<EditModel> logger) : PageModel
{
    public const string SelfDisableMessage = "不能停用自己的账户：网站需要至少一位可以登录的管理员。请让另一位管理员操作。";
    public const string SelfAdminMessage = "不能取消自己的管理员角色：网站需要至少一位管理员。请让另一位管理员操作。";

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
        var key = $"{nameof(RolesForm)}.{nameof(RolesInput.Roles)}";
        if (!UserRoles.TryNormalize(input.Roles, out var roles))
        {
            ModelState.AddModelError(key, "角色不正确。");
        }
        else if (roles.Count == 0)
        {
            ModelState.AddModelError(key, "请至少保留一个角色；要收回全部权限，请停用账户。");
        }
        else if (IsSelf && !roles.Contains(NewsRoles.Administrator))
        {
            ModelState.AddModelError(key, SelfAdminMessage);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var remove = CurrentRoles.Except(roles).ToList();
        var add = roles.Except(CurrentRoles).ToList();
        if (remove.Count == 0 && add.Count == 0)
        {
            return Done("角色没有变化。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        audit.Add(AuditActions.UserRolesChanged, Target, $"角色：{UserRoles.Display(CurrentRoles)} → {UserRoles.Display(roles)}");
        var result = remove.Count > 0 ? await users.RemoveFromRolesAsync(Account, remove) : IdentityResult.Success;
        if (result.Succeeded && add.Count > 0)
        {
            result = await users.AddToRolesAsync(Account, add);
        }
        if (!Check(result, key))
        {
            return Page();
        }
        await transaction.CommitAsync();
        logger.LogInformation("Roles of {Email} changed to {Roles} by {Administrator}", Account.Email, roles, User.Identity?.Name);
        return Done($"已将 {Account.Email} 的角色改为：{UserRoles.Display(roles)}。对方在一分钟内生效。");
    }

    public async Task<IActionResult> OnPostDisableAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        if (IsSelf)
        {
            ModelState.AddModelError("", SelfDisableMessage);
            return Page();
        }
        if (Account.IsDisabled)
        {
            return Done("该账户已是停用状态。");
        }
        Account.IsDisabled = true;
        audit.Add(AuditActions.UserDisabled, Target);
        // Saves the flag, the entry and a new stamp together; open sessions fail their next stamp check.
        if (!Check(await users.UpdateSecurityStampAsync(Account), ""))
        {
            Account.IsDisabled = false;
            return Page();
        }
        logger.LogInformation("User {Email} disabled by {Administrator}", Account.Email, User.Identity?.Name);
        return Done($"已停用 {Account.Email}：对方无法再登录，已登录的会话将在一分钟内结束。");
    }

    public async Task<IActionResult> OnPostEnableAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        if (!Account.IsDisabled)
        {
            return Done("该账户已是启用状态。");
        }
        Account.IsDisabled = false;
        audit.Add(AuditActions.UserEnabled, Target);
        if (!Check(await users.UpdateAsync(Account), ""))
        {
            Account.IsDisabled = true;
            return Page();
        }
        logger.LogInformation("User {Email} enabled by {Administrator}", Account.Email, User.Identity?.Name);
        return Done($"已启用 {Account.Email}。");
    }

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
        await using var transaction = await db.Database.BeginTransactionAsync();
        audit.Add(AuditActions.UserPasswordReset, Target, "管理员设置了新密码；账户锁定已解除");
        var token = await users.GeneratePasswordResetTokenAsync(Account);
        // Validates the password, stores its hash and renews the security stamp: other sessions end.
        var result = await users.ResetPasswordAsync(Account, token, input.NewPassword);
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(Account, null);
            result = await users.ResetAccessFailedCountAsync(Account);
        }
        if (!Check(result, $"{nameof(PasswordForm)}.{nameof(PasswordInput.NewPassword)}"))
        {
            return Page();
        }
        await transaction.CommitAsync();
        if (IsSelf)
        {
            await signIn.RefreshSignInAsync(Account);
        }
        logger.LogInformation("Password of {Email} reset by {Administrator}", Account.Email, User.Identity?.Name);
        return Done($"已为 {Account.Email} 设置新密码；对方已登录的会话将在一分钟内结束。");
    }

    private string Target => $"user:{Account.Email}";

    private async Task<bool> LoadAsync(string id)
    {
        ViewData["AdminSection"] = "users";
        if (await users.FindByIdAsync(id) is not { } account)
        {
            return false;
        }
        Account = account;
        ViewData["Title"] = $"用户：{account.Email}";
        CurrentRoles = NewsRoles.All.Intersect(await users.GetRolesAsync(account)).ToList();
        IsSelf = users.GetUserId(User) == account.Id;
        LockedOutUntil = account.LockoutEnd is { } end && end > time.GetUtcNow() ? end.UtcDateTime : null;
        return true;
    }

    /// <summary>True on success; otherwise the errors go next to <paramref name="key"/> and no audit entry is kept.</summary>
    private bool Check(IdentityResult result, string key)
    {
        if (result.Succeeded)
        {
            return true;
        }
        foreach (var entry in db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(key, error.Description);
        }
        return false;
    }

    private RedirectResult Done(string message)
    {
        TempData["Flash"] = message;
        return Redirect(Url.Page("/Admin/Users/Edit", new { id = Account.Id })!);
    }
}
