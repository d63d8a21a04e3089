using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Tests.Newsroom;

/// <summary>The password rules as the app configures them: Identity's options from AddNewsroom plus NewsPasswordValidator.</summary>
public sealed class PasswordRulesTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly UserManager<NewsUser> _users;

    public PasswordRulesTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddDataProtection();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<NewsDbContext>(o => o.UseSqlite("Data Source=:memory:"));
        services.AddNewsroom();
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
        _users = _scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
    }

    public void Dispose()
    {
        _scope.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task NineCharacters_AreRefusedByTheIdentityOptions()
    {
        Assert.Contains("PasswordTooShort", await ErrorsAsync("river-tea"));
        Assert.Empty(await ErrorsAsync("river-teas"));
    }

    [Fact]
    public async Task MoreThan128Characters_AreRefused()
    {
        var long128 = string.Concat(Enumerable.Repeat("tea garden river ", 10))[..128];

        Assert.Empty(await ErrorsAsync(long128));
        Assert.Equal(new[] { "PasswordTooLong" }, await ErrorsAsync(long128 + "x"));
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("1234567890")]
    [InlineData("woaini1314")]
    [InlineData("PASSWORD1234")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abcdefghijkl")]
    public async Task CommonPasswords_AreRefused(string password)
    {
        Assert.Equal(new[] { "PasswordTooCommon" }, await ErrorsAsync(password));
    }

    [Theory]
    [InlineData("tea garden river")]
    [InlineData("teagardenriver")]
    [InlineData("the kiwi orchards of xiangxi ripen in september")]
    [InlineData("湘西十八洞村的猕猴桃熟了")]
    public async Task Passphrases_AreAcceptedWithoutCompositionRules(string password)
    {
        Assert.Empty(await ErrorsAsync(password));
    }

    [Fact]
    public async Task PasswordContainingTheLoginName_IsRefused()
    {
        Assert.Contains("PasswordContainsUserName", await ErrorsAsync("zhangwei-river-garden", "zhangwei@example.com"));
    }

    [Fact]
    public async Task Errors_AreDescribedInChinese()
    {
        var user = new NewsUser { Email = "li@example.com", UserName = "li@example.com" };
        var descriptions = new List<string>();
        foreach (var validator in _users.PasswordValidators)
        {
            descriptions.AddRange((await validator.ValidateAsync(_users, user, "short")).Errors.Select(e => e.Description));
        }

        Assert.Contains("密码至少需要 10 个字符。", descriptions);
    }

    private async Task<List<string>> ErrorsAsync(string password, string email = "li@example.com")
    {
        var user = new NewsUser { Email = email, UserName = email };
        var errors = new List<string>();
        Assert.Contains(_users.PasswordValidators, v => v is NewsPasswordValidator);
        foreach (var validator in _users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(_users, user, password)).Errors.Select(e => e.Code));
        }
        return errors;
    }
}
