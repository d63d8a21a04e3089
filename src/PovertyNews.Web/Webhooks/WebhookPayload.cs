using System.Text.Json;
using System.Text.Json.Serialization;

namespace PovertyNews.Web.Webhooks;

/// <summary>The JSON body of a generic webhook, stored on the event as it is sent.</summary>
public sealed record WebhookPayload(
    string Id,
    string Type,
    DateTime OccurredAt,
    WebhookArticle? Article,
    IReadOnlyList<string> Urls)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chinese titles go out as characters: receivers log bodies, and a signature is over the bytes sent anyway.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static WebhookPayload? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<WebhookPayload>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record WebhookArticle(
    int Id,
    string Title,
    string Url,
    WebhookChannel? Channel,
    DateTime? PublishedAt,
    DateTime UpdatedAt);

public sealed record WebhookChannel(string Slug, string Name, string Url);
