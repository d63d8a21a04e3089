using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>The two ways to the first accounts: configuration at first start, and the create-user command.</summary>
public sealed class BootstrapTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string AdminPassword = "river-tea-garden-77";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ConfiguredAdministrator_IsCreatedOnFirstStartAndCanSignIn()
    {
        using var fresh = new NewsFactory();
        using var app = WithAdmin(fresh, "first@example.com", AdminPassword);

        await SignInAsync(app, "first@example.com", AdminPassword);

        var users = await UsersAsync(app);
        var (email, roles) = Assert.Single(users);
        Assert.Equal("first@example.com", email);
        Assert.Equal(new[] { NewsRoles.Administrator }, roles);
    }

    [Fact]
    public async Task SecondStartWithDifferentSettings_CreatesNoOne()
    {
        using var fresh = new NewsFactory();
        using (var first = WithAdmin(fresh, "first@example.com", AdminPassword))
        {
            await SignInAsync(first, "first@example.com", AdminPassword);
        }

        using var second = WithAdmin(fresh, "second@example.com", "another-river-garden-88");
        await SignInAsync(second, "first@example.com", AdminPassword);

        Assert.Equal(new[] { "first@example.com" }, (await UsersAsync(second)).Select(u => u.Email));
    }

    [Fact]
    public async Task WithoutSettings_NoAccountExists()
    {
        _factory.CreateReader().Dispose();

        Assert.False(await _factory.WithDbAsync(db => db.Users.AnyAsync()));
        Assert.Equal(NewsRoles.All.Order(), await _factory.WithDbAsync(db => db.Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync()));
    }

    [Fact]
    public async Task ConfiguredPasswordTooWeak_CreatesNoOne()
    {
        using var fresh = new NewsFactory();
        using var app = WithAdmin(fresh, "weak@example.com", "password1234");
        app.CreateClient().Dispose();

        Assert.Empty(await UsersAsync(app));
    }

    [Fact]
    public async Task CreateUserCommand_ReadsThePasswordFromInputAndTheUserCanSignIn()
    {
        var (code, output, error) = await RunCommandAsync("harbour-lantern-quiet-9\n",
            "create-user", "--email", "cmd@example.com", "--role", "编辑", "--role", "Reporter", "--name", "命令行编辑");

        Assert.True(code == 0, error);
        Assert.Contains("cmd@example.com", output);
        Assert.DoesNotContain("harbour-lantern-quiet-9", output + error);
        var (email, roles) = Assert.Single(await UsersAsync(_factory));
        Assert.Equal("cmd@example.com", email);
        Assert.Equal(new[] { NewsRoles.Editor, NewsRoles.Reporter }, roles);
        Assert.Equal("命令行编辑", await _factory.WithDbAsync(db => db.Users.Select(u => u.DisplayName).SingleAsync()));
        await _factory.SignInAsync("cmd@example.com", "harbour-lantern-quiet-9");
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserCreated && e.Target == "user:cmd@example.com")));
    }

    [Theory]
    [InlineData("create-user", "--email", "x@example.com", "--role", "主编")]
    [InlineData("create-user", "--role", "Editor")]
    [InlineData("create-user", "--email", "x@example.com")]
    [InlineData("create-user", "--email", "x@example.com", "--role", "Editor", "--password", "harbour-lantern-quiet-9")]
    [InlineData("create-user", "--email", "x@example.com", "--role")]
    [InlineData("create-user", "--email", "x@example.com", "--role", "Editor", "--colour", "red")]
    public async Task CreateUserCommand_UsageErrors_ExitWith2AndCreateNoOne(params string[] args)
    {
        var (code, _, error) = await RunCommandAsync("harbour-lantern-quiet-9\n", args);

        Assert.Equal(2, code);
        Assert.Contains("usage: create-user", error);
        Assert.Empty(await UsersAsync(_factory));
    }

    [Fact]
    public async Task CreateUserCommand_WeakPassword_ExitsWith1AndPrintsTheErrors()
    {
        var (code, _, error) = await RunCommandAsync("1234567890\n", "create-user", "--email", "x@example.com", "--role", "记者");

        Assert.Equal(1, code);
        Assert.Contains("PasswordTooCommon", error);
        Assert.Contains("太常见", error);
        Assert.Empty(await UsersAsync(_factory));
    }

    [Fact]
    public async Task CreateUserCommand_WithoutPasswordInput_ExitsWith2()
    {
        var (code, _, _) = await RunCommandAsync("", "create-user", "--email", "x@example.com", "--role", "Editor");

        Assert.Equal(2, code);
        Assert.Empty(await UsersAsync(_factory));
    }

    [Fact]
    public void CreateUser_IsARecognisedVerb()
    {
        Assert.Equal("create-user", Commands.Find(["create-user", "--email", "a@b.c"]));
        Assert.Equal("import", Commands.Find(["import", "content"]));
        Assert.Null(Commands.Find(["--urls", "http://127.0.0.1:5000"]));
    }

    /// <summary>
    /// An app configured with a first administrator, on <paramref name="fresh"/>'s database: these tests are about
    /// what a first start (and a second one) does, so they start their own apps rather than use the shared one.
    /// </summary>
    private static WebApplicationFactory<Program> WithAdmin(NewsFactory fresh, string email, string password) => fresh.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("PovertyNews:Admin:Email", email);
        builder.UseSetting("PovertyNews:Admin:Password", password);
    });

    private async Task<(int Code, string Output, string Error)> RunCommandAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(_factory.Services, args[0], args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task SignInAsync(WebApplicationFactory<Program> app, string email, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await client.SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await client.GetPageAsync("/admin");
    }

    private static async Task<List<(string Email, string[] Roles)>> UsersAsync(WebApplicationFactory<Program> app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var result = new List<(string, string[])>();
        foreach (var user in await db.Users.OrderBy(u => u.Email).ToListAsync())
        {
            result.Add((user.Email!, (await users.GetRolesAsync(user)).Order().ToArray()));
        }
        return result;
    }
}
