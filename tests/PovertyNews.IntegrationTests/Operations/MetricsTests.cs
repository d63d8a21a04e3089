using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Operations.Metrics;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>The scrape endpoint is off by default: nothing answers it on the site's address.</summary>
public sealed class MetricsOffTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/metrics/")]
    public async Task Scrape_ByDefault_IsNotFound(string path)
    {
        using var client = shared.Factory.CreateReader();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("http_server_request_duration", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// The app with the scrape endpoint on port 9464. A test server has no sockets, so a request says which port it came
/// in on with a header, which a filter turns into the connection's local port, as Kestrel would set it.
/// </summary>
public sealed class MetricsApp() : SharedNewsApp(b =>
{
    b.UseSetting("PovertyNews:Metrics:Enabled", "true");
    b.UseSetting("PovertyNews:Metrics:Port", MetricsApp.Port.ToString(CultureInfo.InvariantCulture));
    b.ConfigureTestServices(services =>
    {
        services.AddSingleton<IStartupFilter, LocalPortFilter>();
        // The exporter reuses a scrape for 300 ms by default; a test scrapes right after its requests.
        services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
    });
})
{
    public const int Port = 9464;
    public const string PortHeader = "X-Test-Local-Port";

    private sealed class LocalPortFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (int.TryParse(context.Request.Headers[PortHeader], out var port))
                {
                    context.Connection.LocalPort = port;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// Alone, after the parallel tests: OpenTelemetry listens to meters by name across the process, so while other test
/// hosts run (and stop) their instruments would count into, and on disposal end, this host's exported streams. A
/// deployed site has one host per process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsExportCollection
{
    public const string Name = "Metrics export";
}

[Collection(MetricsExportCollection.Name)]
public sealed class MetricsTests(MetricsApp shared) : IClassFixture<MetricsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpStatusCode Code, string Body)> GetAsync(string path, int? port = null, string? host = null)
    {
        using var client = _factory.CreateReader();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (port is { } p)
        {
            request.Headers.Add(MetricsApp.PortHeader, p.ToString(CultureInfo.InvariantCulture));
        }
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrape_OnTheSitesPort_IsNotFoundWhateverTheHostHeaderSays()
    {
        var plain = await GetAsync("/metrics");
        var claimed = await GetAsync("/metrics", host: $"localhost:{MetricsApp.Port}");

        Assert.Equal(HttpStatusCode.NotFound, plain.Code);
        Assert.Equal(HttpStatusCode.NotFound, claimed.Code);
        Assert.DoesNotContain("http_server_request_duration", claimed.Body);
    }

    [Fact]
    public async Task MetricsPort_ServesNothingOfTheSite()
    {
        var front = await GetAsync("/", port: MetricsApp.Port);

        Assert.Equal(HttpStatusCode.NotFound, front.Code);
        Assert.Equal("", front.Body);
    }

    [Fact]
    public async Task Scrape_AfterRequests_ShowsDurationsByRouteAndCacheCounters()
    {
        var before = await ScrapeAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/")).Code); // rendered: a miss
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/")).Code); // from the cache: a hit
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/search?q=%E6%89%B6%E8%B4%AB")).Code);

        // The server records a request's duration just after the client has its answer.
        var after = await ScrapeAsync(until: scrape => scrape.Contains("http_route=\"search\""));

        Assert.Matches(new Regex("^http_server_request_duration_seconds_bucket\\{[^}]*http_route=\"/\"[^}]*le=\"0.005\"\\} \\d+", RegexOptions.Multiline), after);
        Assert.Matches(new Regex("^http_server_request_duration_seconds_count\\{[^}]*http_route=\"search\"", RegexOptions.Multiline), after);
        Assert.True(Counter(after, "povertynews_output_cache_hits_total") >= Counter(before, "povertynews_output_cache_hits_total") + 1);
        Assert.True(Counter(after, "povertynews_output_cache_misses_total") >= Counter(before, "povertynews_output_cache_misses_total") + 1);
        Assert.Matches(new Regex("^povertynews_search_duration_seconds_count\\{[^}]*scope=\"reader\"\\} [1-9]", RegexOptions.Multiline), after);
        Assert.Matches(new Regex("^povertynews_database_size_bytes\\{[^}]*\\} [1-9]", RegexOptions.Multiline), after);
    }

    [Fact]
    public async Task SiteActivity_CountsThisHostsCacheLookups()
    {
        var activity = _factory.Services.GetRequiredService<SiteActivity>();
        var (hits, misses) = (activity.CacheHits, activity.CacheMisses);

        await GetAsync("/");
        await GetAsync("/");
        await GetAsync("/");

        Assert.Equal(hits + 2, activity.CacheHits);
        Assert.Equal(misses + 1, activity.CacheMisses);
        Assert.NotNull(activity.CacheHitRatio);
        for (var attempt = 0; attempt < 50 && activity.Requests.Last(1)[0].Requests < 3; attempt++)
        {
            await Task.Delay(20); // each request is counted just after its answer is sent
        }
        Assert.True(activity.Requests.Last(1)[0].Requests >= 3);
    }

    [Fact]
    public async Task SchedulerPass_IsCountedWithItsTime()
    {
        var activity = _factory.Services.GetRequiredService<SiteActivity>();
        var runs = activity.SchedulerRuns;

        // The job's timer runs on the app's clock: one interval later it makes a pass.
        _factory.Clock.Advance(TimeSpan.FromSeconds(21));
        for (var attempt = 0; attempt < 250 && activity.SchedulerRuns == runs; attempt++)
        {
            await Task.Delay(20);
        }

        Assert.True(activity.SchedulerRuns > runs, "no pass of the scheduled-publishing job was counted");
        Assert.Equal(_factory.Clock.GetUtcNow(), activity.SchedulerLastRunAt);
        Assert.Matches(new Regex("^povertynews_scheduler_runs_total\\{[^}]*outcome=\"ok\"[^}]*\\} [1-9]", RegexOptions.Multiline), await ScrapeAsync());
    }

    private async Task<string> ScrapeAsync(Func<string, bool>? until = null)
    {
        // By the clock, not a count of tries: under a full CI run one scrape can take most of a second.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var (code, body) = await GetAsync("/metrics", port: MetricsApp.Port);
            Assert.Equal(HttpStatusCode.OK, code);
            if (until is null || until(body) || DateTime.UtcNow >= deadline)
            {
                return body;
            }
            await Task.Delay(20);
        }
    }

    private static long Counter(string scrape, string name) =>
        Regex.Match(scrape, $"^{name}\\{{[^}}]*\\}} (\\d+)", RegexOptions.Multiline) is { Success: true } match
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
}
