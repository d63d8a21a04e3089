using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>Creating users and the first administrator; shared by the users page, the command and start-up.</summary>
public sealed class AccountService(
    UserManager<NewsUser> users,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    TimeProvider time,
    ILogger<AccountService> logger)
{
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
