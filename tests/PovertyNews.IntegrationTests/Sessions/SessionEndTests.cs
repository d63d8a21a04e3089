using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Sessions;

/// <summary>
/// A copied session cookie (stolen, or left in another browser) stops working the moment the session is ended:
/// by signing out, a new password, disabling the account or changing its roles. No clock is advanced: the copy
/// must fail on its very next request.
/// </summary>
public sealed class SessionEndTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private const string Editor = "zhao@example.com";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SignOut_EndsACopiedCookieAtOnce()
    {
        await _factory.CreateUserAsync(Editor, NewsRoles.Editor);
        var (browser, copy) = await SignInWithCopyAsync(Editor);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/admin")).StatusCode);

        using var signOut = await browser.SubmitFormAsync("/admin", "form.admin-signout", new());

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        await AssertSignedOutAsync(copy);
    }

    [Fact]
    public async Task DisablingTheUser_EndsACopiedCookieAtOnce()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync(Editor, NewsRoles.Editor);
        var (_, copy) = await SignInWithCopyAsync(Editor);

        (await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Editor)}", "#status-form", new())).Dispose();

        await AssertSignedOutAsync(copy);
    }

    [Fact]
    public async Task ChangingRoles_EndsACopiedCookieAtOnce()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync(Editor, NewsRoles.Editor);
        var (_, copy) = await SignInWithCopyAsync(Editor);

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Editor)}", "#roles-form",
            new() { ["RolesForm.Roles"] = NewsRoles.Reporter });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await AssertSignedOutAsync(copy);
    }

    [Fact]
    public async Task PasswordReset_EndsACopiedCookieAtOnce()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync(Editor, NewsRoles.Editor);
        var (_, copy) = await SignInWithCopyAsync(Editor);

        (await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Editor)}", "#password-form",
            new() { ["PasswordForm.NewPassword"] = "quiet-harbour-lantern-7" })).Dispose();

        await AssertSignedOutAsync(copy);
    }

    [Fact]
    public async Task AdministratorChangingTheirOwnRoles_StaysSignedIn()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator, NewsRoles.Editor);
        var admin = await _factory.SignInAsync(Admin);

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Admin)}", "#roles-form",
            new() { ["RolesForm.Roles"] = NewsRoles.Administrator });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    /// <summary>A browser signed in through the form, and a second client sending the same session cookie.</summary>
    private async Task<(HttpClient Browser, HttpClient Copy)> SignInWithCopyAsync(string email)
    {
        var browser = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await browser.SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = email, ["Input.Password"] = Newsroom.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pn.auth=", StringComparison.Ordinal)).Split(';')[0];
        var copy = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        return (browser, copy);
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        return await _factory.SignInAsync(Admin);
    }

    private Task<string> UserIdAsync(string email) =>
        _factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/signin", response.Headers.Location!.OriginalString);
    }
}
