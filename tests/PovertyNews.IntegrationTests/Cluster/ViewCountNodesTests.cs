using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Cluster;

/// <summary>Reads counted on several nodes of one PostgreSQL database add up when the nodes write them at once.</summary>
[Trait("Provider", "PostgreSql")]
public sealed class ViewCountNodesTests
{
    [Fact]
    public async Task TwoNodesFlushingAtOnce_AddUpExactly()
    {
        using var nodes = await SharedDatabaseNodes.StartAsync(2);
        var slugs = new[] { "aizhai-bridge", "fenghuang-panda-park", "jinan-four-directions" };
        var ids = new List<int>();
        foreach (var slug in slugs)
        {
            ids.Add(await nodes[0].ArticleIdAsync(slug));
        }
        var before = await nodes[0].WithDbAsync(db => db.Articles.Where(a => ids.Contains(a.Id)).SumAsync(a => a.ViewCount));

        // One read through the page on each node, then many more held in each node's counter, as after a busy minute;
        // the nodes write them side by side, each round's first write racing to create the day's rows.
        foreach (var node in nodes.Nodes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{ids[0]}");
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/130");
            (await node.CreateReader().SendAsync(request)).EnsureSuccessStatusCode();
        }
        long expected = nodes.Nodes.Count;
        const int rounds = 25;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var node in nodes.Nodes)
            {
                var held = ids.Select((id, i) => (id, n: (long)(round + i + 1))).ToDictionary(x => x.id, x => x.n);
                node.Services.GetRequiredService<ViewCounter>().Restore(held);
                expected += held.Values.Sum();
            }
            await Task.WhenAll(nodes.Nodes.Select(node => node.Services.GetRequiredService<ViewFlushService>().FlushAsync()));
        }

        var daily = await nodes[1].WithDbAsync(db => db.ArticleDailyViews.Where(v => ids.Contains(v.ArticleId)).SumAsync(v => v.Views));
        var total = await nodes[1].WithDbAsync(db => db.Articles.Where(a => ids.Contains(a.Id)).SumAsync(a => a.ViewCount));
        Assert.Equal(expected, daily);
        Assert.Equal(expected, total - before);
    }

    [Fact]
    public async Task OneReaderServedByEachNode_CountsOnce()
    {
        var prefix = "reads-" + Guid.NewGuid().ToString("N")[..12];
        using var nodes = await SharedDatabaseNodes.StartAsync(2, RedisServer.Instance.Configuration,
            b => b.UseSetting("PovertyNews:Cluster:KeyPrefix", prefix));
        nodes[1].UseClientAddress(nodes[0].ClientAddress);
        var id = await nodes[0].ArticleIdAsync("fenghuang-panda-park");
        var before = await nodes[0].WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ViewCount).SingleAsync());

        // The balancer sends the same browser to one node, then the other, then back.
        foreach (var node in new[] { nodes[0], nodes[1], nodes[0], nodes[1] })
        {
            await ReadAsync(node, id);
        }
        foreach (var node in nodes.Nodes)
        {
            await node.Services.GetRequiredService<ViewFlushService>().FlushAsync();
        }

        Assert.Equal(before + 1, await nodes[0].WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ViewCount).SingleAsync()));
    }

    private static async Task ReadAsync(NewsFactory node, int id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/articles/{id}");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/130");
        (await node.CreateReader().SendAsync(request)).EnsureSuccessStatusCode();
    }
}
