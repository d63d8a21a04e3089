using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// Identity's user manager with lockout on <see cref="TimeProvider"/>: the stock one reads the system clock,
/// which would make the 15-minute window untestable and disagree with the rest of the app's time.
/// </summary>
public sealed class NewsUserManager(
    IUserStore<NewsUser> store,
    IOptions<IdentityOptions> options,
    IPasswordHasher<NewsUser> hasher,
    IEnumerable<IUserValidator<NewsUser>> userValidators,
    IEnumerable<IPasswordValidator<NewsUser>> passwordValidators,
    ILookupNormalizer normalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<NewsUser>> logger,
    TimeProvider time)
    : UserManager<NewsUser>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    public override async Task<bool> IsLockedOutAsync(NewsUser user)
    {
        if (!await GetLockoutEnabledAsync(user))
        {
            return false;
        }
        return await GetLockoutEndDateAsync(user) is { } end && end >= time.GetUtcNow();
    }

    public override async Task<IdentityResult> AccessFailedAsync(NewsUser user)
    {
        var lockout = (IUserLockoutStore<NewsUser>)Store;
        var failures = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (failures >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await lockout.SetLockoutEndDateAsync(user, time.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan, CancellationToken);
            await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        }
        return await UpdateUserAsync(user);
    }
}
