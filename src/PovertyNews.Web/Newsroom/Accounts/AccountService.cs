using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// Creating and changing accounts: the users pages, the command and start-up. Each change on the users pages is
/// audited in the same transaction as the change; Identity's refusals come back as a <see cref="Result"/> with
/// each message next to the field it is about. Disabling, a new password and a change of roles renew the security
/// stamp, which ends every session of the user on its next request.
/// </summary>
public sealed class AccountService(
    NewsDbContext db,
    UserManager<NewsUser> users,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    TimeProvider time,
    SignInThrottle throttle,
    ILogger<AccountService> logger)
{
    public const string SelfDisableMessage = "不能停用自己的账户：网站需要至少一位可以登录的管理员。请让另一位管理员操作。";
    public const string SelfAdminMessage = "不能取消自己的管理员角色：网站需要至少一位管理员。请让另一位管理员操作。";

    /// <summary>Field names of the users forms, for the errors of <see cref="Result"/>.</summary>
    public const string EmailField = "Email", PasswordField = "Password", RolesField = "Roles", NewPasswordField = "NewPassword";

    public async Task EnsureRolesAsync()
    {
        foreach (var role in NewsRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task<IdentityResult> CreateAsync(string email, string? displayName, string password, IEnumerable<string> roleNames, string createdBy)
    {
        await EnsureRolesAsync();
        var user = new NewsUser
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Trim().Split('@')[0] : displayName.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return result;
        }
        var roleList = roleNames.Distinct().ToList();
        result = await users.AddToRolesAsync(user, roleList);
        if (result.Succeeded)
        {
            await audit.WriteAsync(AuditActions.UserCreated, $"user:{user.Email}",
                $"角色：{string.Join("、", roleList.Select(NewsRoles.DisplayName))}", userName: createdBy);
        }
        return result;
    }

    /// <summary>The roles posted by the new-user form, refused when unknown or none.</summary>
    public static Result CheckNewRoles(IEnumerable<string>? posted, out List<string> roles) =>
        !NewsRoles.TryNormalize(posted, out roles) ? Result.Refused(new InputError(RolesField, "角色不正确。"))
            : roles.Count == 0 ? Result.Refused(new InputError(RolesField, "请至少选择一个角色。"))
            : Result.Done();

    /// <summary>An administrator creates an account with its roles and a first password (the new-user form).</summary>
    public async Task<Result> AddAsync(string email, string? displayName, string password, IEnumerable<string>? posted, string? administrator)
    {
        if (CheckNewRoles(posted, out var roles) is { Succeeded: false } refused)
        {
            return refused;
        }
        email = email.Trim();
        var result = await CreateAsync(email, displayName, password, roles, administrator ?? "管理员");
        if (!result.Succeeded)
        {
            return Refused(result, EmailField, PasswordField);
        }
        logger.LogInformation("User {Email} created with roles {Roles} by {Administrator}", email, roles, administrator);
        return Result.Done($"已创建用户 {email}（{NewsRoles.Display(roles)}）。");
    }

    /// <summary>Gives <paramref name="account"/> exactly the posted roles; an administrator cannot drop their own.</summary>
    public async Task<Result> SetRolesAsync(NewsUser account, IEnumerable<string>? posted, string? administratorId, string? administrator)
    {
        var current = await RolesOfAsync(account);
        if (!NewsRoles.TryNormalize(posted, out var roles))
        {
            return Result.Refused(new InputError(RolesField, "角色不正确。"));
        }
        if (roles.Count == 0)
        {
            return Result.Refused(new InputError(RolesField, "请至少保留一个角色；要收回全部权限，请停用账户。"));
        }
        if (account.Id == administratorId && !roles.Contains(NewsRoles.Administrator))
        {
            return Result.Refused(new InputError(RolesField, SelfAdminMessage));
        }
        var remove = current.Except(roles).ToList();
        var add = roles.Except(current).ToList();
        if (remove.Count == 0 && add.Count == 0)
        {
            return Result.Unchanged("角色没有变化。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        audit.Add(AuditActions.UserRolesChanged, Target(account), $"角色：{NewsRoles.Display(current)} → {NewsRoles.Display(roles)}");
        var result = remove.Count > 0 ? await users.RemoveFromRolesAsync(account, remove) : IdentityResult.Success;
        if (result.Succeeded && add.Count > 0)
        {
            result = await users.AddToRolesAsync(account, add);
        }
        if (result.Succeeded)
        {
            // Ends the account's sessions: the roles in a copied cookie must not outlive the change.
            result = await users.UpdateSecurityStampAsync(account);
        }
        if (!result.Succeeded)
        {
            return Refused(result, RolesField);
        }
        await transaction.CommitAsync();
        logger.LogInformation("Roles of {Email} changed to {Roles} by {Administrator}", account.Email, roles, administrator);
        return Result.Done($"已将 {account.Email} 的角色改为：{NewsRoles.Display(roles)}。对方需重新登录。");
    }

    /// <summary>Stops the account signing in; its open sessions end at their next stamp check. Nobody disables themselves.</summary>
    public async Task<Result> DisableAsync(NewsUser account, string? administratorId, string? administrator)
    {
        if (account.Id == administratorId)
        {
            return Result.Refused(SelfDisableMessage);
        }
        if (account.IsDisabled)
        {
            return Result.Unchanged("该账户已是停用状态。");
        }
        account.IsDisabled = true;
        audit.Add(AuditActions.UserDisabled, Target(account));
        // Saves the flag, the entry and a new stamp together; open sessions fail their next stamp check.
        if (await users.UpdateSecurityStampAsync(account) is { Succeeded: false } failed)
        {
            account.IsDisabled = false;
            return Refused(failed, "");
        }
        logger.LogInformation("User {Email} disabled by {Administrator}", account.Email, administrator);
        return Result.Done($"已停用 {account.Email}：对方无法再登录，已登录的会话已结束。");
    }

    public async Task<Result> EnableAsync(NewsUser account, string? administrator)
    {
        if (!account.IsDisabled)
        {
            return Result.Unchanged("该账户已是启用状态。");
        }
        account.IsDisabled = false;
        audit.Add(AuditActions.UserEnabled, Target(account));
        if (await users.UpdateAsync(account) is { Succeeded: false } failed)
        {
            account.IsDisabled = true;
            return Refused(failed, "");
        }
        logger.LogInformation("User {Email} enabled by {Administrator}", account.Email, administrator);
        return Result.Done($"已启用 {account.Email}。");
    }

    /// <summary>Sets a new password and lifts a lockout; the new stamp ends the account's other sessions.</summary>
    public async Task<Result> ResetPasswordAsync(NewsUser account, string newPassword, string? administrator)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        audit.Add(AuditActions.UserPasswordReset, Target(account), "管理员设置了新密码；账户锁定已解除");
        var token = await users.GeneratePasswordResetTokenAsync(account);
        // Validates the password, stores its hash and renews the security stamp: other sessions end.
        var result = await users.ResetPasswordAsync(account, token, newPassword);
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(account, null);
            result = await users.ResetAccessFailedCountAsync(account);
        }
        if (!result.Succeeded)
        {
            return Refused(result, NewPasswordField);
        }
        await transaction.CommitAsync();
        await throttle.ClearAsync(account.Email ?? "");
        logger.LogInformation("Password of {Email} reset by {Administrator}", account.Email, administrator);
        return Result.Done($"已为 {account.Email} 设置新密码；对方已登录的会话已结束。");
    }

    /// <summary>The account's roles among the newsroom's, in canonical order.</summary>
    public async Task<IReadOnlyList<string>> RolesOfAsync(NewsUser account) =>
        NewsRoles.All.Intersect(await users.GetRolesAsync(account)).ToList();

    private static string Target(NewsUser account) => $"user:{account.Email}";

    /// <summary>
    /// Identity's errors, each next to <paramref name="field"/> (or, when an address field is given, next to the field
    /// it is about). The audit entries of the refused change are dropped: nothing happened.
    /// </summary>
    private Result Refused(IdentityResult result, string field, string? passwordField = null)
    {
        foreach (var entry in db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
        var errors = result.Errors.Select(e => new InputError(
            passwordField is null ? field
                : e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
                : e.Code is "DuplicateEmail" or "InvalidEmail" or "DuplicateUserName" or "InvalidUserName" ? field
                : "",
            e.Description)).ToList();
        var concurrency = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));
        return concurrency ? Result.Conflict(errors) : Result.Refused(errors);
    }

    /// <summary>The first administrator from configuration, only while the newsroom has no users at all.</summary>
    public async Task BootstrapAdministratorAsync(AdminBootstrapOptions options)
    {
        await EnsureRolesAsync();
        if (string.IsNullOrWhiteSpace(options.Email) || string.IsNullOrEmpty(options.Password) || await users.Users.AnyAsync())
        {
            return;
        }
        var result = await CreateAsync(options.Email, "管理员", options.Password, [NewsRoles.Administrator], "系统（首次启动）");
        if (result.Succeeded)
        {
            logger.LogInformation("Created the first administrator {Email} from configuration", options.Email);
        }
        else
        {
            logger.LogError("The first administrator {Email} could not be created: {Errors}",
                options.Email, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
