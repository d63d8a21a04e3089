using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks end to end against a real receiver on 127.0.0.1: events recorded by the saves that publish, schedule,
/// edit, withdraw and expire reports; signed deliveries; retries with backoff; the presets.
/// </summary>
public sealed class WebhookDeliveryTests(WebhooksApp shared) : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private TestReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        // The start's import published the sample reports before any endpoint existed: their events go to nobody.
        await _factory.PassAsync();
        _receiver = await TestReceiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Task<List<WebhookDelivery>> DeliveriesAsync(int endpointId) =>
        _factory.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).OrderBy(d => d.Id).ToListAsync());

    [Fact]
    public async Task PublishingThroughTheWorkflow_DeliversOneSignedArticlePublished_WithTheArticlesPublicFields()
    {
        var (endpointId, secret) = await _factory.RegisterAsync(_receiver.BaseUrl + "/hooks");
        var id = await _factory.PublishThroughWorkflowAsync("乡村振兴示范村通水通电");

        Assert.Equal(1, await _factory.PassAsync());

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("/hooks", request.Path);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal(WebhookEventTypes.Published, request.Type());
        Webhook.AssertSigned(request, secret);
        Assert.True(WebhookSignature.Verify(secret, request.Headers[WebhookSignature.SignatureHeader], request.Body,
            _factory.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_wrong", request.Headers[WebhookSignature.SignatureHeader], request.Body,
            _factory.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var delivery = Assert.Single(await DeliveriesAsync(endpointId));
        Assert.Equal(delivery.Id.ToString(), request.Headers[WebhookSignature.DeliveryHeader]);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(200, delivery.LastStatusCode);

        var json = request.Json();
        Assert.Equal("article.published", json.GetProperty("type").GetString());
        Assert.StartsWith($"article.published:{id}:", json.GetProperty("id").GetString());
        var article = json.GetProperty("article");
        Assert.Equal(id, article.GetProperty("id").GetInt32());
        Assert.Equal("乡村振兴示范村通水通电", article.GetProperty("title").GetString());
        var slug = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Slug).SingleAsync());
        Assert.Equal($"{Webhook.PublicBaseUrl}/articles/{id}/{slug}", article.GetProperty("url").GetString());
        Assert.Equal("xiezuo", article.GetProperty("channel").GetProperty("slug").GetString());
        Assert.True(article.TryGetProperty("publishedAt", out _));

        // A second pass sends nothing again.
        Assert.Equal(0, await _factory.PassAsync());
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task EditingAndWithdrawingAPublishedReport_SendUpdatedThenWithdrawn()
    {
        var id = await _factory.PublishThroughWorkflowAsync("易地搬迁安置点新学校开学");
        await _factory.PassAsync();
        await _factory.RegisterAsync(_receiver.BaseUrl);

        await _factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Id == id);
            article.Title = "易地搬迁安置点新学校秋季开学";
            await db.SaveChangesAsync();
        });
        // A change readers do not see is no event.
        await _factory.WithDbAsync(async db =>
        {
            (await db.Articles.SingleAsync(a => a.Id == id)).ViewCount += 10;
            await db.SaveChangesAsync();
        });
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "withdraw", "核实有误");
        await _factory.PassAsync();

        Assert.Equal([WebhookEventTypes.Updated, WebhookEventTypes.Withdrawn], _receiver.Requests.Select(r => r.Type()).ToArray());
        Assert.Equal("易地搬迁安置点新学校秋季开学", _receiver.Requests[0].Json().GetProperty("article").GetProperty("title").GetString());
        Assert.Equal(id, _receiver.Requests[1].Json().GetProperty("article").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ScheduledReportFallingDue_SendsArticlePublishedOnce_AndExpirySendsArticleExpired()
    {
        await _factory.RegisterAsync(_receiver.BaseUrl);
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var channelId = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync());
        var article = new ArticleBuilder(channelId, "定时发布的产业帮扶报道").PublishedAt(now.AddHours(2)).Build();
        await _factory.WithDbAsync(async db => { db.Articles.Add(article); await db.SaveChangesAsync(); });
        Assert.Equal(ArticleStatus.Scheduled, article.Status);
        await _factory.PassAsync();
        Assert.Empty(_receiver.Requests);

        _factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var publisher = ActivatorUtilities.CreateInstance<SchedulePublisher>(_factory.Services);
        Assert.Equal(1, await publisher.PublishDueAsync(CancellationToken.None));
        Assert.Equal(0, await publisher.PublishDueAsync(CancellationToken.None));
        await _factory.PassAsync();
        var published = Assert.Single(_receiver.Requests);
        Assert.Equal(WebhookEventTypes.Published, published.Type());
        Assert.Equal(article.Id, published.Json().GetProperty("article").GetProperty("id").GetInt32());

        var editor = await _factory.CreateUserAsync("offline-editor@example.com", NewsRoles.Editor);
        await (await _factory.SignInAsync(editor)).StepOkAsync(article.Id, "setoffline",
            at: WorkflowSteps.FormatChinaLocal(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(1)));
        _factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await publisher.TakeOfflineDueAsync(CancellationToken.None));
        await _factory.PassAsync();
        Assert.Equal([WebhookEventTypes.Published, WebhookEventTypes.Expired], _receiver.Requests.Select(r => r.Type()).ToArray());
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithExponentialBackoff_UntilItAnswers()
    {
        var options = _factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value;
        _receiver.FailFirst = 2;
        var (endpointId, _) = await _factory.RegisterAsync(_receiver.BaseUrl);
        await _factory.PublishThroughWorkflowAsync("光伏扶贫电站并网发电");

        Assert.Equal(0, await _factory.PassAsync());
        var first = Assert.Single(await DeliveriesAsync(endpointId));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, 500), (first.Status, first.Attempts, first.LastStatusCode!.Value));
        Assert.Contains("receiver down", first.LastError);
        var wait = first.NextAttemptAt - _factory.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(wait, options.BaseBackoff, options.BaseBackoff * 1.2);

        // Not due yet: nothing is sent.
        Assert.Equal(0, await _factory.PassAsync());
        Assert.Single(_receiver.Requests);

        _factory.Clock.Advance(wait);
        Assert.Equal(0, await _factory.PassAsync());
        var second = Assert.Single(await DeliveriesAsync(endpointId));
        Assert.Equal(2, second.Attempts);
        // The wait doubles.
        var secondWait = second.NextAttemptAt - _factory.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(secondWait, options.BaseBackoff * 2, options.BaseBackoff * 2.4);

        _factory.Clock.Advance(secondWait);
        Assert.Equal(1, await _factory.PassAsync());
        var done = Assert.Single(await DeliveriesAsync(endpointId));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 3), (done.Status, done.Attempts));
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests.Select(r => r.Headers[WebhookSignature.DeliveryHeader]).Distinct());
    }

    [Fact]
    public async Task ReceiverThatNeverAnswers_FailsAfterMaxAttempts()
    {
        var options = _factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value;
        _receiver.FailFirst = int.MaxValue;
        var (endpointId, _) = await _factory.RegisterAsync(_receiver.BaseUrl);
        await _factory.PublishThroughWorkflowAsync("电商扶贫直播带货");
        for (var i = 0; i < options.MaxAttempts + 2; i++)
        {
            await _factory.PassAsync();
            _factory.Clock.Advance(TimeSpan.FromDays(3));
        }
        var delivery = Assert.Single(await DeliveriesAsync(endpointId));
        Assert.Equal((WebhookDeliveryStatus.Failed, options.MaxAttempts), (delivery.Status, delivery.Attempts));
        Assert.Equal(options.MaxAttempts, _receiver.Requests.Count);
    }

    [Fact]
    public async Task CdnPurgeAndBaiduPresets_SendTheChangedUrls_AndABaiduErrorIsAFailedAttempt()
    {
        var (cdn, cdnSecret) = await _factory.RegisterAsync(_receiver.BaseUrl + "/purge", WebhookKind.CdnPurge);
        var (baidu, _) = await _factory.RegisterAsync(_receiver.BaseUrl + "/urls?site=https://news.example.com&token=abc", WebhookKind.BaiduPush);
        var id = await _factory.PublishThroughWorkflowAsync("消费帮扶农产品进城");
        await _factory.PassAsync();

        var purge = Assert.Single(_receiver.Requests, r => r.Path == "/purge");
        Webhook.AssertSigned(purge, cdnSecret);
        var urls = purge.Json().GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ToList();
        var slug = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Slug).SingleAsync());
        Assert.Contains($"{Webhook.PublicBaseUrl}/articles/{id}/{slug}", urls);
        Assert.Contains($"{Webhook.PublicBaseUrl}/channels/xiezuo", urls);
        Assert.Contains($"{Webhook.PublicBaseUrl}/", urls);
        Assert.Contains($"{Webhook.PublicBaseUrl}/feed.xml", urls);

        var push = Assert.Single(_receiver.Requests, r => r.Path == "/urls");
        Assert.StartsWith("text/plain", push.ContentType);
        Assert.Equal("?site=https://news.example.com&token=abc", push.Query);
        Assert.Equal($"{Webhook.PublicBaseUrl}/articles/{id}/{slug}", push.Body);

        // 百度 answers 200 with an error body when the token is wrong: the attempt failed, with its message.
        _receiver.Answer = "{\"error\":401,\"message\":\"token is not valid\"}";
        await (await _factory.SignInAsync("editor@example.com")).StepOkAsync(id, "withdraw", "核实有误");
        await _factory.WithDbAsync(async db =>
        {
            var other = new ArticleBuilder(await db.Channels.Where(c => c.Slug == "xiezuo").Select(c => c.Id).SingleAsync(), "另一篇报道")
                .PublishedAt(_factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1)).Build();
            db.Articles.Add(other);
            await db.SaveChangesAsync();
        });
        await _factory.PassAsync();
        var baiduDeliveries = await DeliveriesAsync(baidu);
        // The withdrawal is not pushed to 百度 (only pages to crawl are); the new report is, and was refused.
        Assert.Equal(2, baiduDeliveries.Count);
        var refused = baiduDeliveries[1];
        Assert.Equal(WebhookDeliveryStatus.Pending, refused.Status);
        Assert.Contains("token is not valid", refused.LastError);
        Assert.Equal(3, (await DeliveriesAsync(cdn)).Count);
    }
}
