using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Api.Keys;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Api;

/// <summary>An app whose API lets an address without a key make three requests a minute.</summary>
public sealed class TightApiApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:Api:AnonymousRequestsPerMinute", "3"));

/// <summary>
/// Partner keys: administrators create them on /admin/api-keys (the key shown once) and revoke them; a key's limit and
/// the anonymous limit answer 429 with Retry-After, cached answers included; an unknown or revoked key is a 401;
/// every use is counted and written with the flush; other roles cannot reach the page.
/// </summary>
public sealed class ApiKeyTests(TightApiApp shared) : IClassFixture<TightApiApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        // Counts of an earlier test's keys, whose ids the reset database gives out again.
        _factory.Services.GetRequiredService<ApiUseCounter>().Drain();
        await _factory.CreateUserAsync("admin@example.com", NewsRoles.Administrator);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Creates a key through the admin form; returns the key shown once.</summary>
    private static async Task<string> CreateKeyAsync(HttpClient admin, string name, int perMinute) =>
        (await ApiKeyForms.CreateKeyAsync(admin, name, perMinute)).Key;

    private static HttpRequestMessage Get(string url, string? bearer = null, string? header = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        if (header is not null)
        {
            request.Headers.Add("X-Api-Key", header);
        }
        return request;
    }

    [Fact]
    public async Task Administrator_CreatesAKey_ShownOnce_StoredAsPrefixAndHash_Audited()
    {
        var admin = await _factory.SignInAsync("admin@example.com");
        var key = await CreateKeyAsync(admin, "合作方甲", 5);
        var row = await _factory.WithDbAsync(db => db.ApiKeys.SingleAsync());
        Assert.Equal("合作方甲", row.Name);
        Assert.Equal(key[..12], row.Prefix);
        Assert.Equal(ApiKeyDirectory.Hash(key), row.SecretHash);
        Assert.Equal(5, row.RequestsPerMinute);
        var page = await admin.GetPageAsync("/admin/api-keys");
        var listed = page.QuerySelector($"tr[data-key='{row.Id}']");
        Assert.Contains(row.Prefix, listed.Text());
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ApiKeyCreated && e.Target == $"api-key:{row.Id}")));

        using var refused = await admin.SubmitFormAsync("/admin/api-keys", "#api-key-create",
            new() { ["Input.Name"] = " ", ["Input.RequestsPerMinute"] = "0" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var form = await refused.ReadPageAsync();
        Assert.Contains("请填写密钥名称", form.QuerySelector(".form-errors").Text());
    }

    [Fact]
    public async Task KeyLimit_Answers429WithRetryAfter_CachedAnswersCounting_AndOtherCallersUnaffected()
    {
        var admin = await _factory.SignInAsync("admin@example.com");
        var key = await CreateKeyAsync(admin, "小限额", 2);
        var client = _factory.CreateReader();
        // The same cached answer each time: the limit is applied before the cache answers.
        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.SendAsync(Get("/api/v1/channels", bearer: key));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await client.SendAsync(Get("/api/v1/channels", header: key));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("每分钟最多 2 次", JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        // The 429 is this key's alone: an anonymous reader still gets the cached answer.
        using var anonymous = await client.GetAsync("/api/v1/channels");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);

        // Both answered requests are counted (not the refused one), per day too, once flushed.
        await _factory.Services.GetRequiredService<ApiUseFlushService>().FlushAsync();
        var row = await _factory.WithDbAsync(db => db.ApiKeys.SingleAsync());
        Assert.Equal(2, row.UseCount);
        Assert.NotNull(row.LastUsedAt);
        var today = ChinaTime.Today(_factory.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(2, await _factory.WithDbAsync(db => db.ApiKeyDailyUses.Where(u => u.ApiKeyId == row.Id && u.Day == today).SumAsync(u => u.Requests)));
        var page = await admin.GetPageAsync("/admin/api-keys");
        Assert.Equal("2", page.QuerySelector($"tr[data-key='{row.Id}'] .api-key-uses").Text());
        Assert.Equal("2", page.QuerySelectorAll($"tr[data-key='{row.Id}'] .api-key-day").Last().Text());
    }

    [Fact]
    public async Task AnonymousLimit_IsLower_AndAKeyLiftsIt()
    {
        var admin = await _factory.SignInAsync("admin@example.com");
        var key = await CreateKeyAsync(admin, "合作方乙", 100);
        var client = _factory.CreateReader();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("/api/v1/topics");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await client.GetAsync("/api/v1/topics");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("未使用密钥", await limited.Content.ReadAsStringAsync());
        for (var i = 0; i < 5; i++)
        {
            using var withKey = await client.SendAsync(Get("/api/v1/topics", bearer: key));
            Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        }
    }

    [Fact]
    public async Task OverTheLimit_TheDocsStillLoad_AndThe429HasTheProblemShape()
    {
        var client = _factory.CreateReader();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("/api/v1/channels");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await client.GetAsync("/api/v1/channels");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        // The reference page loads the document: a partner who used up the minute can still read the docs.
        for (var i = 0; i < 5; i++)
        {
            using var document = await client.GetAsync("/api/v1/openapi.json");
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownOrRevokedKey_Answers401_NeverAnonymousUse()
    {
        var admin = await _factory.SignInAsync("admin@example.com");
        var key = await CreateKeyAsync(admin, "将停用", 100);
        var client = _factory.CreateReader();
        using (var ok = await client.SendAsync(Get("/api/v1/channels", bearer: key)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        foreach (var wrong in new[] { "pnk_" + new string('A', 43), key[..^2] + "xx", "not-a-key" })
        {
            using var unknown = await client.SendAsync(Get("/api/v1/channels", bearer: wrong));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        }

        var id = await _factory.WithDbAsync(db => db.ApiKeys.Select(k => k.Id).SingleAsync());
        using (var revoke = await admin.SubmitFormAsync("/admin/api-keys", $"#api-key-revoke-{id}", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }
        Assert.NotNull(await _factory.WithDbAsync(db => db.ApiKeys.Select(k => k.RevokedAt).SingleAsync()));
        Assert.Contains("已停用", (await admin.GetPageAsync("/admin/api-keys")).QuerySelector($"tr[data-key='{id}']").Text());
        using var revoked = await client.SendAsync(Get("/api/v1/channels", header: key));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("不存在或已停用", await revoked.Content.ReadAsStringAsync());
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ApiKeyRevoked)));
    }

    [Fact]
    public async Task Administrator_ChangesAKeysLimit_NextRequestsUseIt_BadValuesRefusedWithAMessage()
    {
        var admin = await _factory.SignInAsync("admin@example.com");
        var key = await CreateKeyAsync(admin, "调整限额", 1);
        var id = await _factory.WithDbAsync(db => db.ApiKeys.Select(k => k.Id).SingleAsync());
        var client = _factory.CreateReader();
        using (var first = await client.SendAsync(Get("/api/v1/channels", bearer: key)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using (var second = await client.SendAsync(Get("/api/v1/channels", bearer: key)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        foreach (var bad in new[] { "0", "-3", "abc", "1000001" })
        {
            using var refused = await admin.SubmitFormAsync("/admin/api-keys", $"#api-key-limit-{id}", new() { ["limit"] = bad });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("每分钟请求数应为 1 到", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(1, await _factory.WithDbAsync(db => db.ApiKeys.Select(k => k.RequestsPerMinute).SingleAsync()));

        using (var raised = await admin.SubmitFormAsync("/admin/api-keys", $"#api-key-limit-{id}", new() { ["limit"] = "3" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, raised.StatusCode);
        }
        var page = await admin.GetPageAsync("/admin/api-keys");
        Assert.Contains("已改为每分钟 3 次", page.Body!.TextContent);
        Assert.Equal("3", page.QuerySelector($"#api-key-limit-input-{id}")!.GetAttribute("value"));
        // Two counted this minute (one answered, one refused or not, depending on the limiter): the third allowance is usable.
        using (var now = await client.SendAsync(Get("/api/v1/channels", bearer: key)))
        {
            Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        }
        Assert.True(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ApiKeyLimitChanged && e.Target == $"api-key:{id}")));
    }

    [Theory]
    [InlineData(NewsRoles.Reporter)]
    [InlineData(NewsRoles.Editor)]
    [InlineData(NewsRoles.EditorInChief)]
    public async Task OtherRoles_CannotSeeOrChangeKeys(string role)
    {
        await _factory.CreateUserAsync($"{role}@example.com", role);
        var user = await _factory.SignInAsync($"{role}@example.com");
        using var page = await user.GetAsync("/admin/api-keys");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var post = await user.PostAsync("/admin/api-keys?handler=Create", new FormUrlEncodedContent([new("Input.Name", "x"), new("Input.RequestsPerMinute", "5")]));
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{post.StatusCode}");
        Assert.Equal(0, await _factory.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }
}
