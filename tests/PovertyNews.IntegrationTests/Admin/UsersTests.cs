using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Pages.Admin.Users;

namespace PovertyNews.IntegrationTests.Admin;

public sealed class UsersTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private const string NewPassword = "quiet-harbour-lantern-7";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AdminCreatesReporter_ReporterCanSignIn()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/users/new", "form.users-form", new()
        {
            ["Input.Email"] = "li.reporter@example.com",
            ["Input.DisplayName"] = "李记者",
            ["Input.Roles"] = NewsRoles.Reporter,
            ["Input.Password"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var list = await admin.GetPageAsync("/admin/users");
        var row = list.QuerySelector("tr[data-email='li.reporter@example.com']");
        Assert.Equal("记者", row!.QuerySelector(".users-roles").Text());
        Assert.Contains("李记者", row.Text());
        var reporter = await _factory.SignInAsync("li.reporter@example.com", NewPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("/admin/users")).StatusCode);
        var entry = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.UserCreated && e.Target == "user:li.reporter@example.com"));
        Assert.Equal(Admin, entry.UserName);
        Assert.Contains("记者", entry.Details);
    }

    [Theory]
    [InlineData("password1234", "太常见")]
    [InlineData("river-tea", "至少需要 10 个字符")]
    public async Task CommonOrShortPassword_IsRefusedNextToTheField(string password, string message)
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/users/new", "form.users-form", new()
        {
            ["Input.Email"] = "weak@example.com",
            ["Input.Roles"] = NewsRoles.Reporter,
            ["Input.Password"] = password,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.Password']").Text());
        Assert.Equal("weak@example.com", page.QuerySelector("input[name='Input.Email']")!.GetAttribute("value"));
        Assert.DoesNotContain(password, page.QuerySelector("form.users-form")!.OuterHtml);
        Assert.False(await _factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "weak@example.com")));
    }

    [Fact]
    public async Task CreateWithoutRole_IsRefused()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/users/new", "form.users-form", new()
        {
            ["Input.Email"] = "norole@example.com",
            ["Input.Password"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请至少选择一个角色", (await ParseAsync(response)).QuerySelector("[data-valmsg-for='Input.Roles']").Text());
        Assert.False(await _factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "norole@example.com")));
    }

    [Theory]
    [InlineData(NewsRoles.Reporter)]
    [InlineData(NewsRoles.Editor)]
    [InlineData(NewsRoles.EditorInChief)]
    public async Task NonAdministrators_Get403OnEveryAdministrationPage(string role)
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        await _factory.CreateUserAsync("staff@example.com", role);
        var adminId = await UserIdAsync(Admin);
        var staff = await _factory.SignInAsync("staff@example.com");
        var token = (await staff.GetPageAsync("/admin")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var url in new[] { "/admin/users", "/admin/users/new", $"/admin/users/{adminId}", "/admin/audit", "/admin/settings" })
        {
            await staff.GetPageAsync(url, 403);
        }
        foreach (var url in new[] { "/admin/users/new", $"/admin/users/{adminId}?handler=Disable", $"/admin/users/{adminId}?handler=Password", "/admin/settings" })
        {
            using var post = await staff.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = "intruder@example.com",
                ["Input.Roles"] = NewsRoles.Administrator,
                ["Input.Password"] = NewPassword,
                ["PasswordForm.NewPassword"] = NewPassword,
                ["Input.SiteName"] = "被篡改",
            }));
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {url} answered {(int)post.StatusCode}");
        }
        Assert.False(await _factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "intruder@example.com")));
        Assert.False(await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == Admin).Select(u => u.IsDisabled).SingleAsync()));
        Assert.NotEqual("被篡改", await _factory.WithDbAsync(db => db.SiteSettings.Select(s => s.SiteName).SingleAsync()));
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirSessionAndTheyCannotSignInAgain()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("zhao@example.com", NewsRoles.Editor);
        var editor = await _factory.SignInAsync("zhao@example.com");
        await editor.GetPageAsync("/admin");

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync("zhao@example.com")}", "#status-form", new());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "zhao@example.com").Select(u => u.IsDisabled).SingleAsync()));
        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await AssertSignedOutAsync(editor);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync("zhao@example.com", Newsroom.Password)).StatusCode);
        Assert.Contains("已停用", (await admin.GetPageAsync("/admin/users")).QuerySelector("tr[data-email='zhao@example.com'] .users-state").Text());
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserDisabled && e.Target == "user:zhao@example.com")));
    }

    [Fact]
    public async Task EnablingADisabledUser_LetsThemSignInAgain()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("qian@example.com", NewsRoles.Reporter);
        var url = $"/admin/users/{await UserIdAsync("qian@example.com")}";
        (await admin.SubmitFormAsync(url, "#status-form", new())).Dispose();

        using var response = await admin.SubmitFormAsync(url, "#status-form", new());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await _factory.SignInAsync("qian@example.com");
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserEnabled)));
    }

    [Fact]
    public async Task PasswordReset_EndsTheOldSessionAndTheNewPasswordWorks()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("sun@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("sun@example.com");

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync("sun@example.com")}", "#password-form",
            new() { ["PasswordForm.NewPassword"] = NewPassword });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await AssertSignedOutAsync(reporter);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync("sun@example.com", Newsroom.Password)).StatusCode);
        await _factory.SignInAsync("sun@example.com", NewPassword);
        var entries = await _factory.WithDbAsync(db => db.AuditEntries.Select(e => e.Action + " " + e.Target + " " + e.Details).ToListAsync());
        Assert.Contains(entries, e => e.StartsWith(AuditActions.UserPasswordReset + " user:sun@example.com", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains(NewPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasswordReset_WithACommonPassword_IsRefusedAndTheOldOneStillWorks()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("zhou@example.com", NewsRoles.Reporter);

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync("zhou@example.com")}", "#password-form",
            new() { ["PasswordForm.NewPassword"] = "woaini1314" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("太常见", (await ParseAsync(response)).QuerySelector("[data-valmsg-for='PasswordForm.NewPassword']").Text());
        await _factory.SignInAsync("zhou@example.com");
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserPasswordReset)));
    }

    [Fact]
    public async Task LockedOutUser_IsListedWithTheLockAndAPasswordResetLiftsIt()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("feng@example.com", NewsRoles.Reporter);
        for (var i = 0; i < 5; i++)
        {
            (await PostSignInAsync("feng@example.com", "not-the-password")).Dispose();
        }

        var locked = (await admin.GetPageAsync("/admin/users")).QuerySelector("tr[data-email='feng@example.com']").Text();
        (await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync("feng@example.com")}", "#password-form",
            new() { ["PasswordForm.NewPassword"] = NewPassword })).Dispose();

        Assert.Contains(PovertyNews.Web.Domain.ChinaTime.FormatDateTime(_factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(15)), locked);
        Assert.Contains("—", (await admin.GetPageAsync("/admin/users")).QuerySelector("tr[data-email='feng@example.com']").Text());
        await _factory.SignInAsync("feng@example.com", NewPassword);
    }

    [Fact]
    public async Task AdministratorCannotDisableThemselves()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Admin)}", "#status-form", new());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(EditModel.SelfDisableMessage, (await ParseAsync(response)).QuerySelector(".form-errors").Text());
        Assert.False(await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == Admin).Select(u => u.IsDisabled).SingleAsync()));
        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await admin.GetPageAsync("/admin/users");
    }

    [Fact]
    public async Task AdministratorCannotRemoveTheirOwnAdministratorRole()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync(Admin)}", "#roles-form",
            new() { ["RolesForm.Roles"] = NewsRoles.Editor });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(EditModel.SelfAdminMessage, (await ParseAsync(response)).QuerySelector("[data-valmsg-for='RolesForm.Roles']").Text());
        Assert.Equal(new[] { NewsRoles.Administrator }, await RolesOfAsync(Admin));
    }

    [Fact]
    public async Task ChangingRoles_TakesEffectAndIsAuditedWithTheNewList()
    {
        var admin = await SignedInAdminAsync();
        await _factory.CreateUserAsync("wu@example.com", NewsRoles.Reporter);

        using var response = await admin.SubmitFormAsync($"/admin/users/{await UserIdAsync("wu@example.com")}", "#roles-form",
            new() { ["RolesForm.Roles"] = NewsRoles.Administrator });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new[] { NewsRoles.Administrator }, await RolesOfAsync("wu@example.com"));
        var entry = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.UserRolesChanged));
        Assert.Equal("user:wu@example.com", entry.Target);
        Assert.Contains("记者 → 管理员", entry.Details);
        var promoted = await _factory.SignInAsync("wu@example.com");
        await promoted.GetPageAsync("/admin/users");
    }

    [Fact]
    public async Task UnknownUserId_Answers404()
    {
        var admin = await SignedInAdminAsync();

        await admin.GetPageAsync("/admin/users/no-such-user", 404);
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        return await _factory.SignInAsync(Admin);
    }

    private Task<string> UserIdAsync(string email) =>
        _factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<List<string>> RolesOfAsync(string email) => _factory.WithDbAsync(db =>
        db.UserRoles.Where(ur => db.Users.Any(u => u.Id == ur.UserId && u.Email == email))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).OrderBy(n => n).ToListAsync());

    private async Task<HttpResponseMessage> PostSignInAsync(string email, string password) =>
        await _factory.CreateReader().SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/signin", response.Headers.Location!.OriginalString.StartsWith('/')
            ? response.Headers.Location.OriginalString
            : response.Headers.Location.PathAndQuery);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}
