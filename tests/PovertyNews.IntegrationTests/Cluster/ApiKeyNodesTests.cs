using System.Net;
using Microsoft.AspNetCore.Hosting;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Api;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// A partner's key over two nodes: its per-minute limit is one count for the cluster (in Redis), and a revocation or a
/// new limit made on one node holds on the other from the administrator's answer on, though that node had the key
/// in its memory.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class ApiKeyNodesTests
{
    private const string Admin = "admin@example.com";

    private static async Task<HttpStatusCode> CallAsync(NewsFactory node, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/channels");
        request.Headers.Authorization = new("Bearer", key);
        using var response = await node.CreateReader().SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task KeyLimit_CountsOverBothNodes()
    {
        using var nodes = await SharedDatabaseNodes.StartAsync(2, RedisServer.Instance.Configuration, SharedDatabaseNodes.OwnRedisKeys("apikeys"));
        var (a, b) = (nodes[0], nodes[1]);
        await a.CreateUserInAsync(Admin, NewsRoles.Administrator);
        var (key, _) = await ApiKeyForms.CreateKeyAsync(await a.SignInAsync(Admin), "两节点", 4);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await CallAsync(i % 2 == 0 ? a : b, key));
        }

        // Three a node would all pass alone.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 4), statuses.Take(4));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses.Skip(4));
    }

    [Fact]
    public async Task RevokedOrReLimitedOnOneNode_HoldsOnTheOtherAtOnce()
    {
        using var nodes = await SharedDatabaseNodes.StartAsync(2, RedisServer.Instance.Configuration, SharedDatabaseNodes.OwnRedisKeys("apikeys"));
        var (a, b) = (nodes[0], nodes[1]);
        await a.CreateUserInAsync(Admin, NewsRoles.Administrator);
        var admin = await a.SignInAsync(Admin);
        var (revoked, revokedId) = await ApiKeyForms.CreateKeyAsync(admin, "将停用", 100);
        var (limited, limitedId) = await ApiKeyForms.CreateKeyAsync(admin, "将调整", 1);

        // Node b looks both keys up and keeps them in memory; the second call of the 1-a-minute key is refused.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(b, revoked));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(b, limited));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(b, limited));

        using (var revoke = await admin.SubmitFormAsync("/admin/api-keys", $"#api-key-revoke-{revokedId}", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }
        using (var raise = await admin.SubmitFormAsync("/admin/api-keys", $"#api-key-limit-{limitedId}", new() { ["limit"] = "5" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, raise.StatusCode);
        }

        // No wait: the cluster bus had node b forget its keys before the administrator's answer came back.
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(b, revoked));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(b, limited));
    }
}
