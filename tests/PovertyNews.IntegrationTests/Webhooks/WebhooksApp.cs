using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>
/// The shared app with webhooks allowed to call http://127.0.0.1 (the test receiver), a configured public address,
/// and neither the webhook worker's nor the publishing job's timer: each test runs their passes itself.
/// </summary>
public sealed class WebhooksApp() : SharedNewsApp(b =>
{
    Webhook.Configure(b);
    b.ConfigureTestServices(services =>
    {
        Webhook.RemoveTimers(services);
    });
});

internal static class Webhook
{
    public const string PublicBaseUrl = "https://news.example.com";

    public static void Configure(IWebHostBuilder b)
    {
        b.UseSetting("PovertyNews:Webhooks:AllowHttp", "true");
        b.UseSetting("PovertyNews:Webhooks:AllowPrivateAddresses", "true");
        b.UseSetting("PovertyNews:PublicBaseUrl", PublicBaseUrl);
    }

    /// <summary>Takes out the publishing job and the webhook worker as hosted services (both stay callable).</summary>
    public static void RemoveTimers(IServiceCollection services)
    {
        var dispatcherFactory = services.Last(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null
            && d.ImplementationFactory.Method.DeclaringType?.Namespace == typeof(WebhooksSetup).Namespace);
        services.Remove(dispatcherFactory);
        foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SchedulePublisher)).ToList())
        {
            services.Remove(hosted);
        }
    }

    public static WebhookDispatcher Dispatcher(this NewsFactory factory) => factory.Services.GetRequiredService<WebhookDispatcher>();

    public static Task<int> PassAsync(this NewsFactory factory) => factory.Dispatcher().RunPassAsync(CancellationToken.None);

    /// <summary>Registers an endpoint through the admin service; returns its id and secret.</summary>
    public static async Task<(int Id, string Secret)> RegisterAsync(this NewsFactory factory, string url,
        WebhookKind kind = WebhookKind.Generic, WebhookEvents events = WebhookEvents.All)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WebhookAdmin>()
            .CreateAsync(new WebhookEndpointInput("测试接收方", url, kind, events), "test", CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Messages));
        return result.Value;
    }

    /// <summary>An article through the real review workflow's forms: written, passed at three levels, published.</summary>
    public static async Task<int> PublishThroughWorkflowAsync(this NewsFactory factory, string title)
    {
        foreach (var (email, role) in new[]
                 {
                     ("reporter@example.com", NewsRoles.Reporter), ("editor@example.com", NewsRoles.Editor),
                     ("editor2@example.com", NewsRoles.Editor), ("chief@example.com", NewsRoles.EditorInChief),
                 })
        {
            if (!await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, u => u.Email == email)))
            {
                await factory.CreateUserAsync(email, role);
            }
        }
        var id = await factory.CreateDraftAsync("reporter@example.com", title);
        await (await factory.SignInAsync("reporter@example.com")).StepOkAsync(id, "submit");
        await (await factory.SignInAsync("editor@example.com")).StepOkAsync(id, "pass", "初审同意");
        await (await factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "pass", "复审同意");
        await (await factory.SignInAsync("chief@example.com")).StepOkAsync(id, "pass", "同意发布");
        await (await factory.SignInAsync("editor@example.com")).StepOkAsync(id, "publish");
        return id;
    }

    /// <summary>Checks the Stripe-style header independently of the app's code: t=…,v1=hex(HMAC-SHA256(secret, "t.body")).</summary>
    public static void AssertSigned(TestReceiver.Received request, string secret)
    {
        var header = request.Headers[WebhookSignature.SignatureHeader];
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"{parts["t"]}.{request.Body}")));
        Assert.Equal(expected, parts["v1"]);
    }

    public static JsonElement Json(this TestReceiver.Received request) => JsonDocument.Parse(request.Body).RootElement;

    public static string Type(this TestReceiver.Received request) => request.Headers[WebhookSignature.EventHeader];
}
