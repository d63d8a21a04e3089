using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Topics;

/// <summary>schema.org CollectionPage for a 专题: its name, description, dates and the reports it lists, in order.</summary>
public static class TopicJsonLd
{
    // Keeps Chinese readable but still escapes <, > and &, so the text can never close the <script> element.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static string For(TopicPage topic, string baseUrl)
    {
        var items = topic.Sections.SelectMany(s => s.Items).DistinctBy(c => c.Id).Select((c, i) => (JsonNode)new JsonObject
        {
            ["@type"] = "ListItem", ["position"] = i + 1, ["url"] = baseUrl + c.Url, ["name"] = c.Title,
        });
        var json = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "CollectionPage",
            ["url"] = baseUrl + topic.Url,
            ["name"] = topic.Title,
            ["description"] = topic.Summary,
            ["inLanguage"] = "zh-CN",
            ["datePublished"] = ChinaTime.FormatIso(topic.PublishedAt),
            ["dateModified"] = ChinaTime.FormatIso(topic.UpdatedAt > topic.PublishedAt ? topic.UpdatedAt : topic.PublishedAt),
            ["mainEntity"] = new JsonObject { ["@type"] = "ItemList", ["itemListElement"] = new JsonArray([.. items]) },
        };
        return json.ToJsonString(Options);
    }
}
