using System.Reflection;
using Microsoft.AspNetCore.Identity;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// OWASP ASVS 5 password rules on top of Identity's minimum length: at most 128 characters, not a common
/// password, not the user's own address. No composition rules.
/// </summary>
public sealed class NewsPasswordValidator : IPasswordValidator<NewsUser>
{
    public const int MinimumLength = 10;
    public const int MaximumLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    public Task<IdentityResult> ValidateAsync(UserManager<NewsUser> manager, NewsUser user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length > MaximumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"密码不能超过 {MaximumLength} 个字符。" });
        }
        if (IsCommon(password))
        {
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = "这个密码太常见，容易被猜中，请换一个。" });
        }
        var local = (user.Email ?? user.UserName ?? "").Split('@')[0];
        if (local.Length >= 4 && password.Contains(local, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "密码不能包含您的登录名。" });
        }
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>On the shipped list, or a single character or a plain run of digits/letters repeated.</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        return Common.Value.Contains(lower) || lower.Distinct().Count() <= 2 || IsSequence(lower);
    }

    private static bool IsSequence(string value)
    {
        if (value.Length < 4)
        {
            return false;
        }
        var step = value[1] - value[0];
        if (Math.Abs(step) != 1)
        {
            return false;
        }
        for (var i = 2; i < value.Length; i++)
        {
            if (value[i] - value[i - 1] != step)
            {
                return false;
            }
        }
        return true;
    }

    private static HashSet<string> LoadCommonPasswords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PovertyNews.Web.Newsroom.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.ToLowerInvariant());
            }
        }
        return set;
    }
}
