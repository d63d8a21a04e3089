using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>The queue is the database: a delivery left pending by a stopped host is sent by the next; the worker's own timer sends within seconds.</summary>
public sealed class WebhookQueueTests : IAsyncLifetime
{
    private readonly NewsFactory _factory = new() { ConfigureHost = Webhook.Configure };
    private TestReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await TestReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _factory.Dispose();
    }

    [Fact]
    public async Task PendingDelivery_SurvivesARestart_AndTheNextHostSendsIt()
    {
        _receiver.FailFirst = 1;
        var first = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(Webhook.RemoveTimers));
        var dispatcher = first.Services.GetRequiredService<WebhookDispatcher>();
        await dispatcher.RunPassAsync(CancellationToken.None);
        int endpointId;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<WebhookAdmin>()
                .CreateAsync(new WebhookEndpointInput("重启", _receiver.BaseUrl, WebhookKind.Generic, WebhookEvents.All), "test", default);
            endpointId = result.Value.Id;
            var db = scope.ServiceProvider.GetRequiredService<Web.Data.NewsDbContext>();
            var channelId = await db.Channels.Select(c => c.Id).FirstAsync();
            db.Articles.Add(new ArticleBuilder(channelId, "重启前发布的报道").PublishedAt(_factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1)).Build());
            await db.SaveChangesAsync();
        }
        await dispatcher.RunPassAsync(CancellationToken.None);
        Assert.Single(_receiver.Requests);
        await first.DisposeAsync();

        _factory.Clock.Advance(TimeSpan.FromHours(1));
        var second = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(Webhook.RemoveTimers));
        Assert.Equal(1, await second.Services.GetRequiredService<WebhookDispatcher>().RunPassAsync(CancellationToken.None));
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(_receiver.Requests[0].Body, _receiver.Requests[1].Body);
        await using var check = second.Services.CreateAsyncScope();
        var delivery = await check.ServiceProvider.GetRequiredService<Web.Data.NewsDbContext>().WebhookDeliveries.SingleAsync(d => d.EndpointId == endpointId);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2), (delivery.Status, delivery.Attempts));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task WorkersOwnTimer_DeliversAPublishWithinFiveSecondsOfClockTime()
    {
        // The worker runs as the app runs it, on its PeriodicTimer; the test moves the clock one second at a time.
        // The start's import recorded events before any endpoint existed: a pass gives them to nobody.
        await _factory.PassAsync();
        var (_, secret) = await _factory.RegisterAsync(_receiver.BaseUrl);
        var publishedAt = _factory.Clock.GetUtcNow();
        await _factory.WithDbAsync(async db =>
        {
            var channelId = await db.Channels.Select(c => c.Id).FirstAsync();
            db.Articles.Add(new ArticleBuilder(channelId, "计时发布的报道").PublishedAt(publishedAt.UtcDateTime.AddSeconds(-1)).Build());
            await db.SaveChangesAsync();
        });
        var seconds = 0;
        while (!_receiver.Requests.Any(r => r.Body.Contains("计时发布的报道")) && seconds < 5)
        {
            _factory.Clock.Advance(TimeSpan.FromSeconds(1));
            seconds++;
            // Real time for the pass the tick started to reach the receiver (a guard, not what is measured).
            await _receiver.NextAsync(TimeSpan.FromSeconds(3));
        }
        var request = Assert.Single(_receiver.Requests, r => r.Body.Contains("计时发布的报道"));
        Webhook.AssertSigned(request, secret);
        Assert.InRange(seconds, 1, 5);
    }
}
