using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Webhooks: events recorded in the saves that cause them, the durable delivery queue's worker, the admin service.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.BaiduPushUrl, UriKind.Absolute, out _), "PovertyNews:Webhooks:BaiduPushUrl must be an absolute URL")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<IInterceptor, WebhookEventInterceptor>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, (sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RequestTimeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("PovertyNews-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookAddresses.Handler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddScoped<WebhookAdmin>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
