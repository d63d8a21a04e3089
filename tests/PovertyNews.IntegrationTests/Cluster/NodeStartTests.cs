using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Cluster;
using StackExchange.Redis;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>
/// A node that reaches Redis but has not yet subscribed hears nothing the others announce: it must count as cut off
/// (dropping its caches on the fallback interval, degraded in its health) until its subscription is made.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class NodeStartTests
{
    [Fact]
    public async Task ConnectedButNotYetSubscribed_CountsAsCutOff_UntilItListens()
    {
        using var redis = RedisServer.StartNew();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        // Channels closed to every client: the node connects and serves, but its SUBSCRIBE is refused.
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "default", "resetchannels");

        using var nodes = await SharedDatabaseNodes.StartAsync(1, redis.Configuration, SharedDatabaseNodes.OwnRedisKeys("start"),
            untilOnRedis: false);
        var node = nodes[0];
        var bus = ClusterNodes.Bus(node);
        await ClusterNodes.UntilAsync(() => node.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected, "node connected");
        // Past a refused subscription attempt or two (they are retried every second).
        await Task.Delay(RedisClusterBus.SubscribeRetry * 2);
        Assert.NotNull(bus.CutOffSince);

        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "default", "allchannels");
        await ClusterNodes.UntilAsync(() => bus.CutOffSince is null, "node listening once channels are open");
    }
}
