using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// Identity's sign-in manager, refusing disabled users on every path (password, cookie refresh), with the sign-in
/// form's own path: <see cref="SignInWithPasswordAsync"/>.
/// </summary>
public sealed class NewsSignInManager(
    UserManager<NewsUser> users,
    IHttpContextAccessor http,
    IUserClaimsPrincipalFactory<NewsUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<NewsUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<NewsUser> confirmation,
    SignInThrottle throttle,
    UnknownAccountHash unknownAccountHash)
    : SignInManager<NewsUser>(users, http, claims, options, logger, schemes, confirmation)
{
    /// <summary>
    /// Signs in with an address and password typed into the form, from <paramref name="source"/>
    /// (<see cref="SignInThrottle.SourceOf"/>). Every attempt does the same work whatever the outcome: one user lookup
    /// and one password hash checked (against a stand-in hash when the address is unknown or the account is locked
    /// for this source), and no write to the user's row, so neither the time taken nor a conflict on the row tells
    /// an unknown address from a wrong password, a disabled account or a lock. Failures count in
    /// <see cref="SignInThrottle"/> (per account and source), not on the account.
    /// </summary>
    public async Task<(SignInResult Result, NewsUser? User)> SignInWithPasswordAsync(string email, string password, string source)
    {
        var user = await UserManager.FindByEmailAsync(email);
        var blocked = await throttle.BlockedUntilAsync(email, source) is not null;
        bool right;
        if (user?.PasswordHash is { } hash)
        {
            right = Verify(user, hash, password);
        }
        else
        {
            Verify(new NewsUser(), unknownAccountHash.Get(UserManager.PasswordHasher), password);
            right = false;
        }
        if (blocked)
        {
            return (SignInResult.LockedOut, user);
        }
        if (!right)
        {
            return (await throttle.FailedAsync(email, source) ? SignInResult.LockedOut : SignInResult.Failed, user);
        }
        if (!await CanSignInAsync(user!))
        {
            return (SignInResult.NotAllowed, user);
        }
        await throttle.SucceededAsync(email, source);
        await SignInAsync(user!, isPersistent: false);
        return (SignInResult.Success, user);
    }

    // The hasher directly rather than UserManager.CheckPasswordAsync: that one writes a rehashed password to the
    // user's row, a write concurrent sign-ins would race on. A stored hash from weaker settings stays until the
    // password is next changed.
    private bool Verify(NewsUser user, string hash, string password) =>
        UserManager.PasswordHasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;

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

/// <summary>
/// A hash of a random password, made once by the app's own hasher (same algorithm and iterations as the stored
/// ones), for a sign-in to an unknown address to check against: the same work as a wrong password.
/// </summary>
public sealed class UnknownAccountHash
{
    private string? _hash;

    public string Get(IPasswordHasher<NewsUser> hasher) =>
        LazyInitializer.EnsureInitialized(ref _hash, () => hasher.HashPassword(new NewsUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
}
