using System.Net;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>Every newsroom answer, pages and exports alike, tells browsers and proxies not to keep it (issue 15, item 16).</summary>
public sealed class NoStoreTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/admin", HttpStatusCode.OK)]
    [InlineData("/admin/articles", HttpStatusCode.OK)]
    [InlineData("/admin/search?handler=csv&q=%E6%B9%98%E8%A5%BF", HttpStatusCode.OK)]
    [InlineData("/admin/audit?handler=csv", HttpStatusCode.OK)]
    [InlineData("/admin/sensitive-words?handler=export", HttpStatusCode.OK)]
    [InlineData("/admin/no-such-page", HttpStatusCode.NotFound)]
    public async Task StaffAnswers_AreNoStore(string url, HttpStatusCode expected)
    {
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator, NewsRoles.EditorInChief);
        using var admin = await _factory.SignInAsync("admin@example.com");

        using var response = await admin.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{url}: Cache-Control {response.Headers.CacheControl}");
    }

    [Theory]
    [InlineData("/admin/signin")]
    [InlineData("/admin/articles")]
    public async Task AnonymousAnswersUnderAdmin_AreNoStore(string url)
    {
        using var reader = _factory.CreateReader();
        using var response = await reader.GetAsync(url);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{url}: {(int)response.StatusCode} Cache-Control {response.Headers.CacheControl}");
    }
}
