using System.Net;
using System.Text.Json;

namespace PovertyNews.IntegrationTests.Api;

internal static class ApiJson
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static List<int> Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();

    /// <summary>
    /// Checks a JSON value against an OpenAPI 3.1 schema as Microsoft.AspNetCore.OpenApi writes it: $ref, type (one
    /// or several, "null" among them), required, properties, items. Returns the problems found, with their paths.
    /// </summary>
    public static List<string> Validate(JsonElement value, JsonElement schema, JsonElement document, string path = "$")
    {
        var problems = new List<string>();
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (types.Count > 0 && !types.Contains("null"))
            {
                problems.Add($"{path}: null, schema says {string.Join("|", types)}");
            }
            return problems;
        }
        var kind = value.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "?",
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "number" && types.Contains("integer")))
        {
            problems.Add($"{path}: {kind}, schema says {string.Join("|", types)}");
            return problems;
        }
        if (kind == "object")
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        problems.Add($"{path}: required '{name}' missing");
                    }
                }
            }
            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var child))
                    {
                        problems.AddRange(Validate(child, property.Value, document, $"{path}.{property.Name}"));
                    }
                }
                foreach (var property in value.EnumerateObject())
                {
                    if (!properties.TryGetProperty(property.Name, out _))
                    {
                        problems.Add($"{path}: '{property.Name}' is not documented");
                    }
                }
            }
        }
        if (kind == "array" && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                problems.AddRange(Validate(element, items, document, $"{path}[{i++}]"));
            }
        }
        return problems;
    }
}
