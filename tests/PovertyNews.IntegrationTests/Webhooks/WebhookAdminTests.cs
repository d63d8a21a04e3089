using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>The administrators' pages: registering (the secret shown once), refusing unsafe addresses, test, resend, rotate, access.</summary>
public sealed class WebhookAdminTests(WebhooksApp shared) : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private TestReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        await _factory.PassAsync();
        _receiver = await TestReceiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<HttpClient> AdminAsync() =>
        await _factory.SignInAsync(await _factory.CreateUserAsync("webhook-admin@example.com", NewsRoles.Administrator));

    [Fact]
    public async Task AdministratorRegistersAnEndpoint_SeesTheSecretOnce_AndATestPingArrivesSignedWithIt()
    {
        var admin = await AdminAsync();
        using var created = await admin.SubmitFormAsync("/admin/webhooks", "#webhook-create", new()
        {
            ["Input.Name"] = "稿件同步",
            ["Input.Url"] = _receiver.BaseUrl + "/in",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await admin.GetPageAsync(created.Headers.Location!.OriginalString);
        var secret = page.QuerySelector("#webhook-secret code").Text();
        Assert.StartsWith("whsec_", secret);
        Assert.Null((await admin.GetPageAsync(created.Headers.Location!.OriginalString)).QuerySelector("#webhook-secret"));
        var endpoint = await _factory.WithDbAsync(db => db.WebhookEndpoints.SingleAsync());
        Assert.Equal((WebhookKind.Generic, WebhookEvents.All), (endpoint.Kind, endpoint.Events));
        Assert.DoesNotContain(secret, endpoint.ProtectedSecret);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == WebhookAuditActions.Created)));
        Assert.Contains("稿件同步", (await admin.GetPageAsync("/admin/webhooks")).QuerySelector("#webhooks").Text());

        using var ping = await admin.SubmitFormAsync($"/admin/webhooks/{endpoint.Id}", "#webhook-ping", []);
        Assert.Equal(HttpStatusCode.Redirect, ping.StatusCode);
        await _factory.PassAsync();
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(WebhookEventTypes.Ping, request.Type());
        Webhook.AssertSigned(request, secret);

        // After rotation the old secret no longer signs.
        using var rotated = await admin.SubmitFormAsync($"/admin/webhooks/{endpoint.Id}", "#webhook-rotate", []);
        var fresh = (await admin.GetPageAsync(rotated.Headers.Location!.OriginalString)).QuerySelector("#webhook-secret code").Text();
        Assert.NotEqual(secret, fresh);
        await admin.SubmitFormAsync($"/admin/webhooks/{endpoint.Id}", "#webhook-ping", []);
        await _factory.PassAsync();
        Webhook.AssertSigned(_receiver.Requests[1], fresh);
        Assert.NotEqual(_receiver.Requests[0].Headers[WebhookSignature.SignatureHeader], _receiver.Requests[1].Headers[WebhookSignature.SignatureHeader]);
    }

    [Theory]
    [InlineData("ftp://cdn.example.com/purge", "https")]
    [InlineData("https://user:secret@cdn.example.com/purge", "用户名或密码")]
    [InlineData("不是网址", "https")]
    public async Task UnsafeOrInvalidAddress_IsRefusedWith400AndAChineseMessage(string url, string message)
    {
        var admin = await AdminAsync();
        using var response = await admin.SubmitFormAsync("/admin/webhooks", "#webhook-create", new()
        {
            ["Input.Name"] = "坏地址",
            ["Input.Url"] = url,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.ReadPageAsync()).QuerySelector("#webhook-errors").Text());
        Assert.Equal(0, await _factory.WithDbAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public void DefaultRules_RefusePlainHttpAndPrivateAddresses_ButLetBaiduPushThrough()
    {
        var defaults = new WebhookOptions();
        Assert.NotNull(WebhookAddresses.Refusal("http://cdn.example.com/purge", WebhookKind.CdnPurge, defaults));
        Assert.NotNull(WebhookAddresses.Refusal("https://127.0.0.1/hook", WebhookKind.Generic, defaults));
        Assert.NotNull(WebhookAddresses.Refusal("https://169.254.169.254/latest", WebhookKind.Generic, defaults));
        Assert.NotNull(WebhookAddresses.Refusal("https://[::1]/hook", WebhookKind.Generic, defaults));
        Assert.NotNull(WebhookAddresses.Refusal("https://192.168.1.10/hook", WebhookKind.Generic, defaults));
        Assert.Null(WebhookAddresses.Refusal("https://hooks.example.com/in", WebhookKind.Generic, defaults));
        Assert.Null(WebhookAddresses.Refusal("http://data.zz.baidu.com/urls?site=https://news.example.com&token=t", WebhookKind.BaiduPush, defaults));
        Assert.NotNull(WebhookAddresses.Refusal("http://data.zz.baidu.com/urls?site=x&token=t", WebhookKind.Generic, defaults));
    }

    [Fact]
    public async Task ResendingADeliveredDelivery_QueuesItAgain_AndItIsSentAgain()
    {
        var (endpointId, _) = await _factory.RegisterAsync(_receiver.BaseUrl);
        var admin = await AdminAsync();
        await admin.SubmitFormAsync($"/admin/webhooks/{endpointId}", "#webhook-ping", []);
        await _factory.PassAsync();
        var delivery = await _factory.WithDbAsync(db => db.WebhookDeliveries.SingleAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        var log = await admin.GetPageAsync($"/admin/webhooks/{endpointId}");
        Assert.Contains("已送达", log.QuerySelector($"tr[data-delivery-id='{delivery.Id}']").Text());

        using var resent = await admin.SubmitFormAsync($"/admin/webhooks/{endpointId}", $"#resend-{delivery.Id}", []);
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal(WebhookDeliveryStatus.Pending, (await _factory.WithDbAsync(db => db.WebhookDeliveries.SingleAsync())).Status);
        Assert.Null((await admin.GetPageAsync($"/admin/webhooks/{endpointId}")).QuerySelector($"#resend-{delivery.Id}"));
        await _factory.PassAsync();
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == WebhookAuditActions.Resent)));
    }

    [Fact]
    public async Task DisabledEndpoint_GetsNoNewEvents_AndDeletingItRemovesIt()
    {
        var (endpointId, _) = await _factory.RegisterAsync(_receiver.BaseUrl);
        var admin = await AdminAsync();
        await admin.SubmitFormAsync($"/admin/webhooks/{endpointId}", "#webhook-disable", []);
        await _factory.PublishThroughWorkflowAsync("停用后发布的报道");
        await _factory.PassAsync();
        Assert.Empty(_receiver.Requests);
        Assert.NotNull((await admin.GetPageAsync($"/admin/webhooks/{endpointId}")).QuerySelector("#webhook-enable"));

        using var deleted = await admin.SubmitFormAsync($"/admin/webhooks/{endpointId}", "#webhook-delete", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.WebhookEndpoints.CountAsync()));
        await admin.GetPageAsync($"/admin/webhooks/{endpointId}", expectedStatus: 404);
    }

    [Fact]
    public async Task Editors_AreRefusedTheWebhookPages()
    {
        var (endpointId, _) = await _factory.RegisterAsync(_receiver.BaseUrl);
        var editor = await _factory.SignInAsync(await _factory.CreateUserAsync("hooks-editor@example.com", NewsRoles.EditorInChief));
        using var list = await editor.GetAsync("/admin/webhooks");
        using var details = await editor.GetAsync($"/admin/webhooks/{endpointId}");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, details.StatusCode);
        Assert.Null((await editor.GetPageAsync("/admin")).QuerySelector("a[href='/admin/webhooks']"));
    }
}
