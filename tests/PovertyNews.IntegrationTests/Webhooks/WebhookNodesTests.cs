using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Cluster;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>Two nodes on one PostgreSQL database, both running the webhook passes at the same moments: each event reaches the receiver once.</summary>
[Trait("Provider", "PostgreSql")]
public sealed class WebhookNodesTests
{
    [Fact]
    public async Task TwoNodesPassingAtOnce_DeliverEachEventExactlyOnce()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var nodes = await SharedDatabaseNodes.StartAsync(2, configureHost: b =>
        {
            Webhook.Configure(b);
            b.ConfigureTestServices(Webhook.RemoveTimers);
        });
        var (a, b) = (nodes[0], nodes[1]);
        await a.PassAsync();
        await a.RegisterAsync(receiver.BaseUrl);
        var channelId = await a.WithDbAsync(db => db.Channels.Select(c => c.Id).FirstAsync());
        var now = a.Clock.GetUtcNow().UtcDateTime;
        var ids = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var node = i % 2 == 0 ? a : b;
            ids.Add(await node.WithDbAsync(async db =>
            {
                var article = new ArticleBuilder(channelId, $"两个节点的报道{i}").PublishedAt(now.AddMinutes(-1)).Build();
                db.Articles.Add(article);
                await db.SaveChangesAsync();
                return article.Id;
            }));
        }
        // An edit on each node too: events written by either node's saves.
        await b.WithDbAsync(async db => { (await db.Articles.SingleAsync(x => x.Id == ids[0])).Title = "两个节点的报道0（更新）"; await db.SaveChangesAsync(); });

        // Fan-out first (one node at a time under its lock), so both nodes then find the same seven rows due. A slow
        // receiver keeps each send in flight while the other node reaches the same row.
        Assert.Equal(7, await b.Dispatcher().FanOutAsync(CancellationToken.None));
        receiver.Delay = TimeSpan.FromMilliseconds(150);
        // Each node has its own test clock, started when the node started: both are moved past the fan-out's time.
        a.Clock.Advance(TimeSpan.FromMinutes(1));
        b.Clock.Advance(TimeSpan.FromMinutes(1));
        var sent = await Task.WhenAll(Task.Run(() => a.Dispatcher().SendDueAsync(CancellationToken.None)),
            Task.Run(() => b.Dispatcher().SendDueAsync(CancellationToken.None)));
        Assert.Equal(7, sent.Sum());
        // Later passes, both nodes at once, find nothing left.
        var again = await Task.WhenAll(Task.Run(() => a.PassAsync()), Task.Run(() => b.PassAsync()));
        Assert.Equal(0, again.Sum());

        var events = receiver.Requests.Select(r => r.Json().GetProperty("id").GetString()).ToList();
        Assert.Equal(7, events.Count);
        Assert.Equal(7, events.Distinct().Count());
        Assert.Equal(7, await a.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered && d.Attempts == 1)));
    }
}
