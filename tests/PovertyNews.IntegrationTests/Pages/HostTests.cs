using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The app with a configured public address.</summary>
public sealed class PublicBaseUrlApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:PublicBaseUrl", "https://news.example.com"));

/// <summary>
/// A forged Host header never reaches a page, a feed or a redirect, and never makes a cache entry (issue 15, item 2).
/// </summary>
public sealed class PublicBaseUrlTests(PublicBaseUrlApp shared) : IClassFixture<PublicBaseUrlApp>, IAsyncLifetime
{
    private const string Forged = "evil.example.net";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> GetAsync(string url, string host)
    {
        using var client = _factory.CreateReader();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/channels/xiezuo")]
    [InlineData("/feed.xml")]
    [InlineData("/channels/xiezuo/feed.xml")]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    [InlineData("/admin")]
    [InlineData("/no-such-page")]
    public async Task ForgedHost_NeverAppears_AbsoluteUrlsUseThePublicBaseUrl(string url)
    {
        using var response = await GetAsync(url, Forged);
        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.ToString() + response.Content.Headers;

        Assert.DoesNotContain(Forged, body);
        Assert.DoesNotContain(Forged, headers);
        if (url is "/" or "/channels/xiezuo")
        {
            Assert.Contains("<link rel=\"canonical\" href=\"https://news.example.com", body);
            Assert.Contains("property=\"og:url\" content=\"https://news.example.com", body);
        }
        else if (url.EndsWith(".xml", StringComparison.Ordinal) || url == "/robots.txt")
        {
            Assert.Contains("https://news.example.com/", body);
        }
        else if (url == "/admin")
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            // The cookie handler builds an absolute sign-in URL from the Host, which is the public one by now.
            Assert.StartsWith("http://news.example.com/admin/signin", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task ArticlePage_JsonLdAndOgUrl_UseThePublicBaseUrl()
    {
        var id = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        using var response = await GetAsync($"/articles/{id}/jinan-xiangxi-delegation", Forged);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Forged, body);
        Assert.Contains($"https://news.example.com/articles/{id}/jinan-xiangxi-delegation", body);
    }

    [Fact]
    public async Task RandomHosts_AddNoCacheEntries()
    {
        var store = _factory.Services.GetRequiredService<ConsistentOutputCacheStore>();
        (await GetAsync("/channels/xiezuo", "news.example.com")).Dispose();
        var stored = store.Stored;

        for (var i = 0; i < 20; i++)
        {
            using var response = await GetAsync("/channels/xiezuo", $"h{Guid.NewGuid():N}.example.org");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(stored, store.Stored);
    }
}

/// <summary>Without a public base URL, only configured and loopback hosts are cached.</summary>
public sealed class UnconfiguredHostTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RandomHosts_AddNoCacheEntries_AndLoopbackStillIsCached()
    {
        var store = _factory.Services.GetRequiredService<ConsistentOutputCacheStore>();
        using var client = _factory.CreateReader();
        (await client.GetAsync("/tags/%E6%B9%98%E8%A5%BF")).Dispose();
        using (var again = await client.GetAsync("/tags/%E6%B9%98%E8%A5%BF"))
        {
            Assert.NotNull(again.Headers.Age);
        }
        var stored = store.Stored;

        foreach (var host in new[] { "a.example.org", "b.example.org", "localhost:1234", "127.0.0.1:9", "c.example.org:80" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tags/%E6%B9%98%E8%A5%BF");
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(stored, store.Stored);
    }

    [Fact]
    public async Task HostsInTurn_EachGetTheirOwnAbsoluteUrls()
    {
        using var client = _factory.CreateReader();
        foreach (var host in new[] { "a.example.org", "b.example.org", "a.example.org", "localhost", "b.example.org" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/channels/xiezuo");
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Contains($"<link rel=\"canonical\" href=\"http://{host}/channels/xiezuo", body);
        }
    }
}

/// <summary>Proxies at 10.0.0.5 and in 10.1.0.0/16; a test header stands for the connection's remote address.</summary>
public sealed class ProxyApp() : SharedNewsApp(b => b
    .UseSetting("PovertyNews:Proxy:KnownProxies:0", "10.0.0.5")
    .UseSetting("PovertyNews:Proxy:KnownNetworks:0", "10.1.0.0/16")
    .ConfigureTestServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>()));

internal sealed class RemoteAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address!);
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>Forwarded headers are believed from configured proxies only (issue 15, item 3).</summary>
public sealed class ProxyTests(ProxyApp shared) : IClassFixture<ProxyApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> AuthCookieAsync(string remoteAddress)
    {
        var email = $"u{Guid.NewGuid():N}@example.com";
        await _factory.CreateUserAsync(email, NewsRoles.Reporter);
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(RemoteAddressFromHeader.Header, remoteAddress);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var response = await client.SubmitFormAsync("/admin/signin", "form",
            new() { ["Input.Email"] = email, ["Input.Password"] = Newsroom.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pn.auth=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.1.2.3")]
    public async Task SignIn_ThroughAKnownProxyForwardingHttps_GetsASecureCookie(string proxy) =>
        Assert.Contains("secure", (await AuthCookieAsync(proxy)).ToLowerInvariant());

    [Theory]
    [InlineData("192.0.2.9")]
    [InlineData("10.2.0.1")]
    public async Task SignIn_FromAnUnknownAddress_IgnoresForwardedProto(string address) =>
        Assert.DoesNotContain("secure", (await AuthCookieAsync(address)).ToLowerInvariant());

    [Fact]
    public async Task HttpsThroughAKnownProxy_GetsHstsOfOneYear()
    {
        using var client = _factory.CreateReader();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "news.example.com";
        request.Headers.Add(RemoteAddressFromHeader.Header, "10.0.0.5");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        Assert.Equal("max-age=31536000", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
    }
}
