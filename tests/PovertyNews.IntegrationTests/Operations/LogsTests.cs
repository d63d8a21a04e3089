using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Operations.Logs;
using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The app at Information (as in production) with its data folder prepared before start: log files of earlier days
/// (so the start applies the retention to them) and a sink that captures every event.
/// </summary>
public sealed class LogsApp : SharedNewsApp
{
    public LogsApp() : this(Path.Combine(Path.GetTempPath(), "povertynews-tests", "logs-" + Guid.NewGuid().ToString("N")), new CapturedEvents())
    {
    }

    private LogsApp(string dataPath, CapturedEvents events) : base(b => b
        .UseSetting("PovertyNews:DataPath", Prepare(dataPath))
        .UseSetting("Serilog:MinimumLevel:Default", "Information")
        // The search feature's own lines at Debug too, to see that the query is logged there and only there.
        .UseSetting("Serilog:MinimumLevel:Override:PovertyNews.Web.Search", "Debug")
        .ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(events)))
    {
        DataPath = dataPath;
        Events = events;
    }

    public string DataPath { get; }

    public CapturedEvents Events { get; }

    public string LogFolder => Path.Combine(DataPath, "logs");

    /// <summary>Days ago of the old files written before start.</summary>
    public static readonly int[] OldFileAges = [100, 179, 181, 400];

    public static string FileName(string prefix, int daysAgo) =>
        prefix + DateTime.Now.Date.AddDays(-daysAgo).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".log";

    private static string Prepare(string dataPath)
    {
        var logs = Directory.CreateDirectory(Path.Combine(dataPath, "logs")).FullName;
        foreach (var prefix in new[] { "povertynews-", "requests-" })
        {
            foreach (var age in OldFileAges)
            {
                File.WriteAllText(Path.Combine(logs, FileName(prefix, age)), "an old day's log\n");
            }
        }
        return dataPath;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(DataPath, recursive: true);
    }
}

public sealed class CapturedEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> All => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}

/// <summary>Where the logs go and how long they stay: the application and request files, retention, recent errors, search privacy.</summary>
public sealed class LogsTests(LogsApp app) : IClassFixture<LogsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = app.Factory;

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Start_KeepsLogFilesOf180DaysAndRemovesOlderOnes()
    {
        using var client = _factory.CreateReader();
        using var response = await client.PostAsync("/", new StringContent("")); // opens today's request file too
        var files = Directory.GetFiles(app.LogFolder).Select(Path.GetFileName).ToHashSet();

        foreach (var prefix in new[] { "povertynews-", "requests-" })
        {
            Assert.Contains(LogsApp.FileName(prefix, 100), files);
            Assert.Contains(LogsApp.FileName(prefix, 179), files);
            Assert.DoesNotContain(LogsApp.FileName(prefix, 181), files);
            Assert.DoesNotContain(LogsApp.FileName(prefix, 400), files);
        }
    }

    [Fact]
    public async Task RequestLog_GoesToItsOwnFileAndNotToTheApplicationLog()
    {
        var marker = "/no-such-page-" + Guid.NewGuid().ToString("N");
        using var client = _factory.CreateReader();

        using var response = await client.PostAsync(marker, new StringContent("")); // a POST: logged at Information

        var requests = ReadToday("requests-");
        var application = ReadToday("povertynews-");
        Assert.Contains(marker, requests);
        Assert.Contains("HTTP POST " + marker + " responded", requests);
        Assert.DoesNotContain(marker, application);
        Assert.NotEmpty(application); // the start's lines are there
    }

    [Fact]
    public async Task EventOfARequest_CarriesItsRequestIdAndPath_ThoughTheHostingLayerOpensNoScopeForIt()
    {
        // The framework makes an Activity and a log scope for every request whenever this category is on at all.
        var hosting = _factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogsSetup.HostingDiagnostics);
        Assert.False(hosting.IsEnabled(LogLevel.Critical));
        var marker = "/no-such-page-" + Guid.NewGuid().ToString("N");
        using var client = _factory.CreateReader();

        using var response = await client.PostAsync(marker, new StringContent(""));

        var requestLine = Assert.Single(app.Events.All, e => e.Properties.TryGetValue("RequestPath", out var path)
            && path.ToString() == $"\"{marker}\"" && e.Properties.ContainsKey("StatusCode"));
        Assert.True(requestLine.Properties.TryGetValue("RequestId", out var id));
        Assert.NotEqual("\"\"", id.ToString());
    }

    [Fact]
    public async Task UncachedSearch_WritesNoInformationLineWithTheQuery()
    {
        var query = "扶贫茶园" + Guid.NewGuid().ToString("N")[..8];
        using var client = _factory.CreateReader();

        using var response = await client.GetAsync("/search?q=" + Uri.EscapeDataString(query));

        response.EnsureSuccessStatusCode();
        var lines = app.Events.All.Where(e => e.Level >= LogEventLevel.Information)
            .Select(e => e.RenderMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, line => line.Contains(query, StringComparison.Ordinal));
        // The search ran uncached and logged its query, at Debug, which production does not write.
        Assert.Contains(app.Events.All, e => e.Level == LogEventLevel.Debug
            && e.RenderMessage(CultureInfo.InvariantCulture).Contains(query, StringComparison.Ordinal));
    }

    [Fact]
    public void Warning_IsKeptInRecentErrorsWithControlCharactersEscaped()
    {
        var logger = _factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PovertyNews.Tests");
        var marker = Guid.NewGuid().ToString("N");

        logger.LogWarning("Test warning {Marker} {Value}", marker, "line one\nforged line");
        logger.LogInformation("Test information {Marker}", marker + "-info");

        var recent = _factory.Services.GetRequiredService<RecentErrors>().Snapshot();
        var entry = Assert.Single(recent, e => e.Message.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, entry.Level);
        Assert.Contains("line one\\nforged line", entry.Message);
        Assert.DoesNotContain(recent, e => e.Message.Contains(marker + "-info", StringComparison.Ordinal));
    }

    private string ReadToday(string prefix)
    {
        // The sink keeps the file open for writing; read it as another process would.
        var path = Directory.GetFiles(app.LogFolder, prefix + DateTime.Now.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "*.log").Single();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
