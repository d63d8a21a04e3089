using System.Net;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

public sealed class SignInTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Admin_RedirectsAnonymousReadersToSignIn()
    {
        using var response = await _factory.CreateReader().GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task RightPassword_SignsInAndShowsTheDashboard()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);

        var client = await _factory.SignInAsync("reporter@example.com");
        var page = await client.GetPageAsync("/admin");

        Assert.Equal("工作台", page.QuerySelector("h1").Text());
        Assert.Contains("noindex", page.QuerySelector("meta[name=robots]")!.GetAttribute("content"));
    }

    [Fact]
    public async Task UnknownUserAndWrongPassword_GetTheSameMessage()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var client = _factory.CreateReader();

        var unknown = await PostSignInAsync(client, "nobody@example.com", "whatever-password");
        var wrong = await PostSignInAsync(client, "editor@example.com", "whatever-password");

        Assert.Equal(unknown, wrong);
        Assert.Contains("邮箱或密码不正确", wrong);
    }

    [Fact]
    public async Task SixthAttempt_IsRefusedEvenWithTheRightPasswordUntilTheWindowPasses()
    {
        await _factory.CreateUserAsync("chief@example.com", NewsRoles.EditorInChief);
        var client = _factory.CreateReader();
        for (var i = 0; i < 5; i++)
        {
            await PostSignInAsync(client, "chief@example.com", "not-the-password");
        }

        using var locked = await client.SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = "chief@example.com", ["Input.Password"] = Newsroom.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);

        _factory.Clock.Advance(TimeSpan.FromMinutes(16));
        await _factory.SignInAsync("chief@example.com");
    }

    [Fact]
    public async Task RapidSignIns_FromOneAddressGet429()
    {
        var client = _factory.CreateReader();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.SubmitFormAsync("/admin/signin", "form",
                new() { ["Input.Email"] = $"n{i}@example.com", ["Input.Password"] = "whatever-password" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_Gets400()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);

        using var response = await _factory.CreateReader().PostAsync("/admin/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "reporter@example.com",
            ["Input.Password"] = Newsroom.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignInAttempts_AreAudited()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        await PostSignInAsync(_factory.CreateReader(), "reporter@example.com", "wrong\r\nforged line");
        await _factory.SignInAsync("reporter@example.com");

        var actions = await _factory.WithDbAsync(db => Task.FromResult(db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToList()));

        Assert.Contains(AuditActions.SignInFailed, actions);
        Assert.Contains(AuditActions.SignInSucceeded, actions);
    }

    [Fact]
    public async Task SecurityHeaders_AreSentWithoutServerHeader()
    {
        using var response = await _factory.CreateReader().GetAsync("/");

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("unsafe-inline", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.Contains("Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"));
    }

    private static async Task<string> PostSignInAsync(HttpClient client, string email, string password)
    {
        using var response = await client.SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page);
        return doc.QuerySelector(".form-errors").Text();
    }
}
