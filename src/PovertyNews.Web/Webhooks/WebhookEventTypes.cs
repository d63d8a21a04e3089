using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Webhooks;

/// <summary>The event names on the wire and their <see cref="WebhookEvents"/> flags.</summary>
public static class WebhookEventTypes
{
    public const string Published = "article.published";
    public const string Updated = "article.updated";
    public const string Withdrawn = "article.withdrawn";
    public const string Expired = "article.expired";

    /// <summary>A test event an administrator sends to one endpoint (发送测试).</summary>
    public const string Ping = "ping";

    public static readonly IReadOnlyList<(WebhookEvents Flag, string Type, string Label)> All =
    [
        (WebhookEvents.ArticlePublished, Published, "发布"),
        (WebhookEvents.ArticleUpdated, Updated, "更新"),
        (WebhookEvents.ArticleWithdrawn, Withdrawn, "撤稿"),
        (WebhookEvents.ArticleExpired, Expired, "下线"),
    ];

    public static WebhookEvents FlagOf(string type) => All.FirstOrDefault(e => e.Type == type).Flag;

    public static string Labels(WebhookEvents events) =>
        string.Join("、", All.Where(e => events.HasFlag(e.Flag)).Select(e => e.Label));

    /// <summary>Whether the endpoint is told about events of this type: 百度 only learns of pages to crawl.</summary>
    public static bool Wants(WebhookEndpoint endpoint, string type) =>
        endpoint.IsActive && endpoint.Events.HasFlag(FlagOf(type)) && FlagOf(type) != WebhookEvents.None
        && (endpoint.Kind != WebhookKind.BaiduPush || type is Published or Updated);
}
