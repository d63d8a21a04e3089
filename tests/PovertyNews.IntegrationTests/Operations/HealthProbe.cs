using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Operations.Health;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>A health endpoint's answer: the HTTP status, the overall status and each check's status and description.</summary>
public sealed record HealthAnswer(HttpStatusCode Code, string Status, IReadOnlyDictionary<string, (string Status, string Description)> Checks)
{
    public string CheckStatus(string name) =>
        Checks.TryGetValue(name, out var check) ? check.Status : throw new Xunit.Sdk.XunitException($"no check {name} in the answer");

    public string Description(string name) => Checks[name].Description;
}

public static class HealthProbe
{
    /// <summary>Settings for a test host whose health answers reflect the app as it is now: no answer cache.</summary>
    public static void Uncached(IWebHostBuilder host) => host.UseSetting("PovertyNews:Health:CacheDuration", "00:00:00");

    /// <summary>Asks an endpoint after moving the app's clock past the answer cache.</summary>
    public static async Task<HealthAnswer> AfterCacheAsync(NewsFactory factory, string path)
    {
        var cache = factory.Services.GetRequiredService<IOptions<HealthOptions>>().Value.CacheDuration;
        factory.Clock.Advance(cache + TimeSpan.FromSeconds(1));
        return await GetAsync(factory, path);
    }

    public static async Task<HealthAnswer> GetAsync(NewsFactory factory, string path)
    {
        using var client = factory.CreateReader();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(
            c => c.Name, c => (c.Value.GetProperty("status").GetString()!, c.Value.GetProperty("description").GetString() ?? ""));
        return new HealthAnswer(response.StatusCode, json.RootElement.GetProperty("status").GetString()!, checks);
    }

    /// <summary>Waits for the quick_check the app started with (or runs one), so the integrity check has a result.</summary>
    public static Task<IntegrityCheckResult?> IntegrityCheckedAsync(NewsFactory factory) =>
        factory.Services.GetRequiredService<DatabaseIntegrity>().RunAsync(CancellationToken.None);
}
