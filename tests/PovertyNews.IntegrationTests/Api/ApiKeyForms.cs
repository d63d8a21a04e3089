using System.Net;
using System.Text.RegularExpressions;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Api;

/// <summary>The 开放接口 page's forms, as an administrator uses them.</summary>
internal static partial class ApiKeyForms
{
    [GeneratedRegex("pnk_[A-Za-z0-9_-]{43}")]
    public static partial Regex KeyPattern();

    /// <summary>Creates a key through the create form; returns the key, shown once, and its row's id.</summary>
    public static async Task<(string Key, int Id)> CreateKeyAsync(HttpClient admin, string name, int perMinute)
    {
        using var created = await admin.SubmitFormAsync("/admin/api-keys", "#api-key-create",
            new() { ["Input.Name"] = name, ["Input.RequestsPerMinute"] = $"{perMinute}" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await admin.GetPageAsync("/admin/api-keys");
        var key = KeyPattern().Match(page.Body!.TextContent).Value;
        Assert.NotEmpty(key);
        var id = int.Parse(page.QuerySelector($"tr[data-prefix='{key[..12]}']")!.GetAttribute("data-key")!);
        // Shown once: the next visit shows only the prefix.
        Assert.DoesNotMatch(KeyPattern(), (await admin.GetPageAsync("/admin/api-keys")).Body!.TextContent);
        return (key, id);
    }
}
