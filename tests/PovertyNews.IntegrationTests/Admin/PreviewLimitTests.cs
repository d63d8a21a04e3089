using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// The limit on concurrent previews (<see cref="PreviewRateLimit"/>), on an app allowing one preview and no queue. A
/// preview is held inside the limit by sending its body in two parts and the second only when the test says so; the
/// test knows the server holds it once the page starts reading that body (<see cref="BodyReadProbe"/>), which happens
/// only after the limiter has let it in. No timing decides anything.
/// </summary>
public sealed class PreviewLimitTests(OnePreviewApp shared) : IClassFixture<OnePreviewApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Preview_WhileTheOnlyPermitIsHeld_Gets429WithRetryAfterAndAChineseMessage()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var reporter = await _factory.SignInAsync("reporter@example.com");
        var token = await reporter.EditorTokenAsync();
        var probe = _factory.Services.GetRequiredService<BodyReadProbe>();
        var held = new HeldFormContent("Markdown=" + Uri.EscapeDataString("**第一段**"), Uri.EscapeDataString("，第二段"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/articles/preview") { Content = held };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add(BodyReadProbe.Header, "held");

        var first = reporter.SendAsync(request);
        await probe.ReadStartedAsync("held");
        using var refused = await reporter.PreviewAsync(token, "**另一份稿件**");
        held.Release();
        using var rendered = await first;
        using var after = await reporter.PreviewAsync(token, "**之后**");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(PreviewRateLimit.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("text/plain", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PreviewRateLimit.BusyMessage, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Contains("<strong>第一段</strong>，第二段", await rendered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("<strong>之后</strong>", await after.Content.ReadAsStringAsync());
    }

    /// <summary>A form body sent in two parts, the second after <see cref="Release"/>; its length is not told in advance.</summary>
    private sealed class HeldFormContent : HttpContent
    {
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldFormContent(string head, string tail)
        {
            _head = Encoding.ASCII.GetBytes(head);
            _tail = Encoding.ASCII.GetBytes(tail);
            Headers.ContentType = new("application/x-www-form-urlencoded");
        }

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_head);
            await stream.FlushAsync();
            await _release.Task;
            await stream.WriteAsync(_tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>The shared app allowing one preview at a time and none waiting, with the <see cref="BodyReadProbe"/>.</summary>
public sealed class OnePreviewApp() : SharedNewsApp(b => b
    .UseSetting("PovertyNews:Newsroom:PreviewConcurrency", "1")
    .UseSetting("PovertyNews:Newsroom:PreviewQueueLimit", "0")
    .ConfigureTestServices(services =>
    {
        services.AddSingleton<BodyReadProbe>();
        services.AddSingleton<IStartupFilter>(sp => sp.GetRequiredService<BodyReadProbe>());
    }));

/// <summary>
/// Tells a test when the app first reads the body of a request marked with <see cref="Header"/>: the first middleware
/// wraps that body, so the signal comes from whatever reads it, which for a page is model binding or the antiforgery
/// check, both behind the rate limiter.
/// </summary>
public sealed class BodyReadProbe : IStartupFilter
{
    public const string Header = "X-Test-Body-Probe";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _reads = new();

    public Task ReadStartedAsync(string name) => Signal(name).Task.WaitAsync(TimeSpan.FromMinutes(1));

    private TaskCompletionSource Signal(string name) =>
        _reads.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header].ToString() is { Length: > 0 } name)
            {
                context.Request.Body = new SignallingStream(context.Request.Body, Signal(name));
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    private sealed class SignallingStream(Stream inner, TaskCompletionSource signal) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            signal.TrySetResult();
            return inner.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            signal.TrySetResult();
            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
