using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The app as configured for this class: every request logged (Debug), as an operator would look at it.</summary>
public sealed class VerboseLogApp() : SharedNewsApp(b => b.UseSetting("Serilog:MinimumLevel:Default", "Debug"));

/// <summary>Request values written into the log cannot start a line of their own (a forged log entry).</summary>
public sealed class LogInjectionTests(VerboseLogApp app) : IClassFixture<VerboseLogApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("GET", "/%0D%0Afake%20INF%20admin%20signed%20in")]
    [InlineData("POST", "/%0D%0Afake%20INF%20admin%20signed%20in")]
    [InlineData("GET", "/search?q=%0D%0Afake%20INF%20admin%20signed%20in")]
    [InlineData("GET", "/channels/%0Afake%20INF%20admin%20signed%20in%E2%80%A8x")]
    public async Task ControlCharactersInTheRequest_StayOnTheirLogLine(string method, string url)
    {
        using var client = app.Factory.CreateReader();
        using (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)))
        {
        }

        // Request logging writes its event when the pipeline unwinds, which may be after the client has the response.
        var lines = await ReadLogAsync();
        for (var i = 0; i < 100 && !lines.Any(l => l.Contains("fake INF admin signed in", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
            lines = await ReadLogAsync();
        }
        Assert.Contains(lines, l => l.Contains("fake INF admin signed in", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("fake", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\r') || l.Contains('\u2028'));
    }

    private async Task<string[]> ReadLogAsync()
    {
        var folder = Path.Combine(app.Factory.Services.GetRequiredService<IConfiguration>()["PovertyNews:DataPath"]!, "logs");
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(folder))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            lines.AddRange((await reader.ReadToEndAsync()).Split('\n'));
        }
        return [.. lines];
    }
}
