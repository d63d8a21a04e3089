using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Sessions;

/// <summary>
/// The app with a password hasher that counts verifications, and a sign-in rate limit high enough that only the
/// lockout and the delay refuse: these tests post many sign-ins from one address.
/// </summary>
public sealed class CountingHasherApp() : SharedNewsApp(b =>
{
    b.UseSetting("PovertyNews:Newsroom:SignInAttemptsPerMinute", "1000");
    b.ConfigureTestServices(services =>
    {
        services.AddSingleton<CountingPasswordHasher>();
        services.AddScoped<IPasswordHasher<NewsUser>>(sp => sp.GetRequiredService<CountingPasswordHasher>());
    });
});

/// <summary>Identity's hasher, counting how often a password is checked against a stored hash.</summary>
public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<NewsUser>
{
    private readonly PasswordHasher<NewsUser> _inner = new(options);
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public void Reset() => Interlocked.Exchange(ref _verifications, 0);

    public string HashPassword(NewsUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(NewsUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

public sealed class SignInProtectionTests(CountingHasherApp shared) : IClassFixture<CountingHasherApp>, IAsyncLifetime
{
    private const string Chief = "chief@example.com";
    private readonly NewsFactory _factory = shared.Factory;
    private CountingPasswordHasher Hasher => _factory.Services.GetRequiredService<CountingPasswordHasher>();

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("nobody@example.com", "whatever-password")]
    [InlineData(Chief, "not-the-password")]
    [InlineData("disabled@example.com", Newsroom.Password)]
    public async Task EverySignIn_ChecksExactlyOnePasswordHash(string email, string password)
    {
        // An unknown address answered in a tenth of the time of a known one: it skipped the hash.
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        await _factory.CreateUserAsync("disabled@example.com", NewsRoles.Reporter);
        await _factory.WithDbAsync(async db =>
        {
            db.Users.Single(u => u.Email == "disabled@example.com").IsDisabled = true;
            await db.SaveChangesAsync();
        });
        var client = _factory.CreateReader();
        var page = await client.GetPageAsync("/admin/signin");
        Hasher.Reset();

        using var response = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(
            Newsroom.FieldsOf(page, "form", new() { ["Input.Email"] = email, ["Input.Password"] = password })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Hasher.Verifications);
    }

    [Fact]
    public async Task LockedAccount_StillChecksOnePasswordHash()
    {
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        var client = _factory.CreateReader();
        for (var i = 0; i < 5; i++)
        {
            await PostSignInAsync(client, Chief, "not-the-password");
        }
        var page = await client.GetPageAsync("/admin/signin");
        Hasher.Reset();

        using var response = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(
            Newsroom.FieldsOf(page, "form", new() { ["Input.Email"] = Chief, ["Input.Password"] = Newsroom.Password })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Hasher.Verifications);
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddress_DoNotLockTheAccountForAnother()
    {
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        var stranger = _factory.CreateReader();
        for (var i = 0; i < 8; i++)
        {
            await PostSignInAsync(stranger, Chief, "not-the-password");
        }
        Assert.Equal(HttpStatusCode.OK, await PostSignInAsync(stranger, Chief, Newsroom.Password));

        _factory.UseNewClientAddress();

        await _factory.SignInAsync(Chief);
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddress_LockTheAccountForThatAddressOnly_UntilTheWindowPasses()
    {
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var client = _factory.CreateReader();
        for (var i = 0; i < 5; i++)
        {
            await PostSignInAsync(client, Chief, "not-the-password");
        }

        Assert.Equal(HttpStatusCode.OK, await PostSignInAsync(client, Chief, Newsroom.Password));
        await _factory.SignInAsync("reporter@example.com");
        _factory.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await _factory.SignInAsync(Chief);
    }

    [Fact]
    public async Task FailuresAcrossAccountsFromOneAddress_DelayItsNextAttemptProgressively()
    {
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        var client = _factory.CreateReader();
        // Six addresses tried once each (spraying): no account reaches its lock, the address has used its free failures.
        for (var i = 0; i < 6; i++)
        {
            await PostSignInAsync(client, $"guess{i}@example.com", "not-the-password");
        }

        // The sixth failure: 1 s before the next attempt from this address, even with the right password.
        Assert.Equal(HttpStatusCode.OK, await PostSignInAsync(client, Chief, Newsroom.Password));
        _factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await PostSignInAsync(client, "guess6@example.com", "not-the-password");
        // The seventh: 2 s.
        _factory.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await PostSignInAsync(client, Chief, Newsroom.Password));
        _factory.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, await PostSignInAsync(client, Chief, Newsroom.Password));
    }

    [Fact]
    public async Task ConcurrentRightAndWrongPasswords_NeverAnswer500()
    {
        await _factory.CreateUserAsync(Chief, NewsRoles.EditorInChief);
        var posts = new List<(HttpClient Client, FormUrlEncodedContent Form)>();
        for (var i = 0; i < 24; i++)
        {
            var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            var page = await client.GetPageAsync("/admin/signin");
            posts.Add((client, new FormUrlEncodedContent(Newsroom.FieldsOf(page, "form", new()
            {
                ["Input.Email"] = Chief,
                ["Input.Password"] = i % 3 == 0 ? Newsroom.Password : "not-the-password",
            }))));
        }

        var statuses = await Task.WhenAll(posts.Select(async p =>
        {
            using var response = await p.Client.PostAsync("/admin/signin", p.Form);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Redirect, $"answered {(int)s}"));
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    private static async Task<HttpStatusCode> PostSignInAsync(HttpClient client, string email, string password)
    {
        using var response = await client.SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        return response.StatusCode;
    }
}
