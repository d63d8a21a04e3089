using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Newsroom.Accounts;

public static class AccountsSetup
{
    public const string SignInRateLimit = "signin";
    public const string SignInPath = "/admin/signin";

    /// <summary>Identity on the news database: password and lockout rules, the session cookie, sign-in rate limits.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<NewsUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = NewsPasswordValidator.MinimumLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                // Identity's own lockout (on the user's row, from any source) is not used: the sign-in form counts
                // failures per account and source in SignInThrottle. These apply to nothing the app calls.
                options.Lockout.MaxFailedAccessAttempts = SignInThrottle.FailuresBeforeLock;
                options.Lockout.DefaultLockoutTimeSpan = SignInThrottle.LockTime;
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<NewsDbContext>()
            .AddUserManager<NewsUserManager>()
            .AddSignInManager<NewsSignInManager>()
            .AddClaimsPrincipalFactory<NewsClaimsFactory>()
            .AddPasswordValidator<NewsPasswordValidator>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddDefaultTokenProviders();

        // Signing out, a new password, disabling and a change of roles renew the security stamp, and every request
        // with a session cookie checks it, so each copy of an ended session fails on its next request. Identity checks
        // only when the time since the cookie was issued exceeds the interval: a negative one checks even in the tick
        // the cookie was issued. The cost is the user's row and roles read once per staff request (readers carry no
        // cookie), and the refreshed cookie sent back with each answer.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromTicks(-1));
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<NewsroomOptions>>((cookie, newsroom) =>
            {
                cookie.Cookie.Name = "pn.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = newsroom.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = "/admin/signout";
                // Refusals answer 403 with the Chinese error page instead of redirecting somewhere else.
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        services.AddAuthorization();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInRateLimit, SignInRateLimits.PartitionFor);
        });

        // Counted in Redis when the node is one of a cluster (PovertyNews:Cluster:Redis), in memory otherwise.
        services.AddSingleton(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var shared = cluster.Enabled
                ? new RedisSignInCounters(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), cluster.KeyPrefix)
                : null;
            return new SignInThrottle(sp.GetRequiredService<TimeProvider>(), shared, sp.GetRequiredService<ILogger<SignInThrottle>>());
        });
        services.AddSingleton<UnknownAccountHash>();
        services.AddAuditLog();
        services.AddScoped<AccountService>();
        return services;
    }

    /// <summary>Roles exist, and the first administrator comes from configuration when nobody can sign in yet.</summary>
    public static async Task PrepareNewsroomAsync(this IServiceProvider services, AdminBootstrapOptions admin)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        await accounts.EnsureRolesAsync();
        await accounts.BootstrapAdministratorAsync(admin);
    }
}

/// <summary>Identity's messages in Chinese, for the sign-in and user pages.</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少需要 {length} 个字符。" };
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = $"邮箱 {email} 已被使用。" };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名 {userName} 已被使用。" };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = $"邮箱地址 {email} 不正确。" };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"用户名 {userName} 含有不允许的字符。" };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "密码不正确。" };
    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "数据已被他人修改，请刷新后重试。" };
    public override IdentityError UserAlreadyInRole(string role) => new() { Code = nameof(UserAlreadyInRole), Description = $"用户已是{NewsRoles.DisplayName(role)}。" };
}
