using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PovertyNews.IntegrationTests.Webhooks;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) that records every request it gets, answering 500 to the
/// first <see cref="FailFirst"/> of them, as a broken receiver would, and <see cref="Answer"/> after that.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Query, string ContentType, string Body, IReadOnlyDictionary<string, string> Headers);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _failures;

    private TestReceiver(WebApplication app) => _app = app;

    public int FailFirst { get; set; }

    /// <summary>How long each answer takes: a slow receiver keeps a send in flight while another node looks at the queue.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The body answered with 200 (百度's {"success":1} by default: harmless to the others).</summary>
    public string Answer { get; set; } = "{\"success\":1,\"remain\":99}";

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<Received> Requests => [.. _received];

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.Single().TrimEnd('/');
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new(http.Request.Path, http.Request.QueryString.Value ?? "", http.Request.ContentType ?? "", body, headers));
        _arrived.Release();
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }
        if (Interlocked.Increment(ref _failures) <= FailFirst)
        {
            http.Response.StatusCode = 500;
            await http.Response.WriteAsync("receiver down");
            return;
        }
        await http.Response.WriteAsync(Answer);
    }

    /// <summary>Waits for the next request, at most <paramref name="timeout"/> of real time.</summary>
    public Task<bool> NextAsync(TimeSpan timeout) => _arrived.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
