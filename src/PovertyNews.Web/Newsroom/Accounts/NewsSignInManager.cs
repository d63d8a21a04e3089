using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>Identity's sign-in manager, refusing disabled users on every path (password, cookie refresh).</summary>
public sealed class NewsSignInManager(
    UserManager<NewsUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<NewsUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<NewsUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<NewsUser> confirmation)
    : SignInManager<NewsUser>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(NewsUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<NewsUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }
}

/// <summary>Adds the display name to the cookie, so pages and records show 张编辑 rather than an address.</summary>
public sealed class NewsClaimsFactory(UserManager<NewsUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<NewsUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(NewsUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    public static Actor ToActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in"),
        user.FindFirstValue(NewsClaimsFactory.DisplayNameClaim) ?? user.Identity?.Name ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet());
}
