using System.Net;
using Microsoft.AspNetCore.Hosting;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>Sign-in limits count over every node of a cluster (in Redis), and sign-in works while Redis is away.</summary>
[Trait("Provider", "PostgreSql")]
public sealed class SignInNodesTests
{
    private const string Email = "reporter@example.com";


    private static async Task<HttpResponseMessage> PostSignInAsync(NewsFactory node, string password) =>
        await node.CreateReader().SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = Email, ["Input.Password"] = password });

    [Fact]
    public async Task FiveWrongPasswordsOverTwoNodes_LockTheAccountForThatSourceOnBoth()
    {
        using var nodes = await SharedDatabaseNodes.StartAsync(2, RedisServer.Instance.Configuration, SharedDatabaseNodes.OwnRedisKeys("signin"));
        var (a, b) = (nodes[0], nodes[1]);
        await a.CreateUserInAsync(Email, NewsRoles.Reporter);
        b.UseClientAddress(a.ClientAddress);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PostSignInAsync(i % 2 == 0 ? a : b, "not-the-password");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        // The right password from that source is refused on both nodes; from another source it works.
        foreach (var node in nodes.Nodes)
        {
            using var refused = await PostSignInAsync(node, Newsroom.Password);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }
        b.UseNewClientAddress();
        await b.SignInAsync(Email);
    }

    [Fact]
    public async Task PostsSpreadOverTwoNodes_ShareOneRateLimit()
    {
        using var nodes = await SharedDatabaseNodes.StartAsync(2, RedisServer.Instance.Configuration, SharedDatabaseNodes.OwnRedisKeys("signin"));
        var (a, b) = (nodes[0], nodes[1]);
        b.UseClientAddress(a.ClientAddress);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await (i % 2 == 0 ? a : b).CreateReader().SubmitFormAsync("/admin/signin", "form",
                new() { ["Input.Email"] = $"n{i}@example.com", ["Input.Password"] = "whatever-password" });
            statuses.Add(response.StatusCode);
        }

        // Ten a minute per address (PovertyNews:Newsroom:SignInAttemptsPerMinute): six per node would all pass alone.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10), statuses.Take(10));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses.Skip(10));
    }

    [Fact]
    public async Task RedisStopped_SignInStillWorks_AndCountsOnTheNode()
    {
        using var redis = RedisServer.StartNew();
        using var nodes = await SharedDatabaseNodes.StartAsync(2, redis.Configuration, SharedDatabaseNodes.OwnRedisKeys("signin"));
        var a = nodes[0];
        await a.CreateUserInAsync(Email, NewsRoles.Reporter);

        redis.Stop();
        using (var wrong = await PostSignInAsync(a, "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        await a.SignInAsync(Email);
        for (var i = 0; i < 5; i++)
        {
            (await PostSignInAsync(a, "not-the-password")).Dispose();
        }
        using (var locked = await PostSignInAsync(a, Newsroom.Password))
        {
            Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        }

        redis.Start();
        a.UseNewClientAddress();
        await a.SignInAsync(Email);
    }
}
