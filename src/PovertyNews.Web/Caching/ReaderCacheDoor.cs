using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Answers a reader's repeated request for a cached page at the front of the pipeline, before routing,
/// authentication, the request log and the output cache's own lookup, which together took as long as sending the
/// page (see "Load benchmark" in the README). It holds copies of answers the output cache gave, never anything else.
/// </summary>
/// <remarks>
/// <para>
/// Only plain requests come through the door: GET, no cookie, no Authorization, no conditional or range headers. The
/// output cache would answer such a request from the same entry for every visitor, so the copy is the answer. Anything
/// else goes down the whole pipeline as before.
/// </para>
/// <para>
/// A copy is taken when the output cache answers a plain request from an entry (so the first visitor after a render
/// gets the render, the second the cache, the third the door). It is good while no eviction has happened since the
/// request that copied it looked into the cache (the generation of <see cref="ConsistentOutputCacheStore"/>, which
/// every eviction bumps, on this node or announced by another), and not past the entry's own expiry. Any eviction
/// retires every copy: they are refilled from the cache on the next requests, so no page can be older at the door
/// than in the cache. The portal snapshot is checked first, as for a cached page, so a scheduled article that fell
/// due evicts before the door answers.
/// </para>
/// <para>
/// What the pipeline adds to a cached answer the door adds too: the hit is counted in <see cref="ReaderCacheMetrics"/>,
/// an article's read is counted (<see cref="ViewCounting"/>), and the security headers, HSTS and the exception handler
/// sit in front of it. The request log, which writes successful GETs at Debug only, does not see door answers.
/// </para>
/// </remarks>
public sealed class ReaderCacheDoor(
    ConsistentOutputCacheStore store,
    PortalCache portal,
    ReaderCacheMetrics metrics,
    ViewCounter counter,
    IReadWindow window,
    IOptions<ReaderCacheOptions> options)
{
    private const int MaximumEntries = 4096;
    private static readonly object KeyItem = new();

    private readonly ConcurrentDictionary<string, Copy> _copies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly long _byteLimit = options.Value.DoorMegabytes * 1024L * 1024;
    private readonly long _lifetime = (long)options.Value.Duration.TotalMilliseconds;
    private long _bytes;
    private long _copiesGeneration = -1;
    private long _served;

    /// <summary>Requests answered at the door since start.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <param name="Generation">The cache's generation when the copied request looked into it.</param>
    /// <param name="CreatedAt">When the output cache made the entry (<see cref="Environment.TickCount64"/>).</param>
    /// <param name="ArticleId">The article whose read an answer counts, for article pages.</param>
    private sealed record Copy(long Generation, long CreatedAt, int? ArticleId, KeyValuePair<string, StringValues>[] Headers, byte[] Body);

    /// <summary>The door's key of a plain request, or null if the request must take the whole pipeline.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        var headers = request.Headers;
        if (!HttpMethods.IsGet(request.Method)
            || headers.ContainsKey(HeaderNames.Cookie) || headers.ContainsKey(HeaderNames.Authorization)
            || headers.ContainsKey(HeaderNames.IfNoneMatch) || headers.ContainsKey(HeaderNames.IfModifiedSince)
            || headers.ContainsKey(HeaderNames.Range))
        {
            return null;
        }
        // The raw Accept-Encoding: the cache keys by the coding it chose from it, so equal values always agree.
        return string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value,
            request.QueryString.Value, "\n", headers.AcceptEncoding.ToString());
    }

    /// <summary>First after the hosting, security-header and exception middleware.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (_byteLimit == 0 || KeyOf(http.Request) is not { } key)
        {
            await next(http);
            return;
        }
        if (_copies.TryGetValue(key, out var copy))
        {
            if (await SnapshotCurrentAsync(http)
                && copy.Generation == store.Generation && Environment.TickCount64 - copy.CreatedAt < _lifetime)
            {
                await AnswerAsync(http, copy);
                return;
            }
            Retire(key, copy);
        }
        http.Items[KeyItem] = key;
        await next(http);
    }

    /// <summary>
    /// As for a cached page: a stale snapshot is rebuilt now, and that evicts what changed before a copy is answered.
    /// If the rebuild fails (the database locked or gone), the request goes down the pipeline, whose storage-failure
    /// handling and log answer it as they would any page; the door answers nothing it could not check.
    /// </summary>
    private async ValueTask<bool> SnapshotCurrentAsync(HttpContext http)
    {
        try
        {
            await portal.GetAsync(http.RequestAborted);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Around the output cache, for a cacheable reader request that came through the door without an answer: if the
    /// cache answers it from an entry, a copy of what was sent is kept.
    /// </summary>
    public async Task CopyAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Items[KeyItem] is not string key
            || http.GetEndpoint()?.Metadata.GetMetadata<IOutputCachePolicy>() is not ReaderCacheAttribute)
        {
            await next(http);
            return;
        }
        var response = http.Response;
        var body = response.Body;
        using var tee = new TeeStream(response, body, MaximumCopyBytes);
        response.Body = tee;
        try
        {
            await next(http);
        }
        finally
        {
            response.Body = body;
        }
        if (ConsistentOutputCacheStore.WasHit(http) && ConsistentOutputCacheStore.StampOf(http) is { } generation
            && response.StatusCode == StatusCodes.Status200OK && !tee.Overflowed
            && response.ContentLength == tee.Length && StringValues.IsNullOrEmpty(response.Headers.SetCookie)
            && !http.RequestAborted.IsCancellationRequested
            && int.TryParse(response.Headers.Age, NumberStyles.None, CultureInfo.InvariantCulture, out var age))
        {
            var headers = response.Headers.Where(h => !string.Equals(h.Key, HeaderNames.Age, StringComparison.OrdinalIgnoreCase)).ToArray();
            // Age is whole seconds: taking the entry as a second older keeps the copy inside the entry's lifetime.
            var createdAt = Environment.TickCount64 - (age + 1) * 1000L;
            Keep(key, new Copy(generation, createdAt, ViewCounting.ArticleOf(http), headers, tee.ToArray()));
        }
    }

    private long MaximumCopyBytes => Math.Min(_byteLimit / 8, options.Value.MaximumBodyKilobytes * 1024L);

    private async Task AnswerAsync(HttpContext http, Copy copy)
    {
        Interlocked.Increment(ref _served);
        metrics.Lookup(hit: true);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var headers = response.Headers;
        foreach (var (name, value) in copy.Headers)
        {
            headers[name] = value;
        }
        headers.Age = ((Environment.TickCount64 - copy.CreatedAt) / 1000).ToString(CultureInfo.InvariantCulture);
        try
        {
            await response.Body.WriteAsync(copy.Body, http.RequestAborted);
        }
        catch (Exception e) when ((e is OperationCanceledException || e is IOException) && http.RequestAborted.IsCancellationRequested)
        {
            // The reader hung up; nothing to answer.
            return;
        }
        if (copy.ArticleId is { } articleId)
        {
            await ViewCounting.CountAsync(http, articleId, counter, window);
        }
    }

    private void Keep(string key, Copy copy)
    {
        lock (_gate)
        {
            var current = store.Generation;
            if (copy.Generation != current)
            {
                return;
            }
            // Copies of an older generation can never be answered again: let them go at once.
            if (_copiesGeneration != current)
            {
                _copies.Clear();
                _bytes = 0;
                _copiesGeneration = current;
            }
            if (_copies.TryGetValue(key, out var old))
            {
                _copies.TryRemove(key, out _);
                _bytes -= old.Body.Length;
            }
            if (_copies.Count >= MaximumEntries || _bytes + copy.Body.Length > _byteLimit)
            {
                return;
            }
            _copies[key] = copy;
            _bytes += copy.Body.Length;
        }
    }

    private void Retire(string key, Copy copy)
    {
        lock (_gate)
        {
            if (_copies.TryRemove(new KeyValuePair<string, Copy>(key, copy)))
            {
                _bytes -= copy.Body.Length;
            }
        }
    }

    /// <summary>Writes through to the response and keeps what went by, up to a limit.</summary>
    private sealed class TeeStream(HttpResponse response, Stream inner, long limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public bool Overflowed { get; private set; }

        public override long Length => _copy.Length;

        /// <summary>The bytes kept, without a second copy when the buffer was sized to the Content-Length.</summary>
        public byte[] ToArray() =>
            _copy.TryGetBuffer(out var kept) && kept.Offset == 0 && kept.Count == kept.Array!.Length ? kept.Array : _copy.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (Overflowed)
            {
                return;
            }
            if (_copy.Capacity == 0 && response.ContentLength is { } length && length <= limit)
            {
                // Copies live until the next eviction, long enough to reach the old generation: no growth garbage.
                _copy.Capacity = (int)length;
            }
            if (_copy.Length + buffer.Length > limit)
            {
                Overflowed = true;
                _copy.SetLength(0);
                return;
            }
            _copy.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _copy.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

public static class ReaderCacheDoorSetup
{
    /// <summary>Place right after the hosting, exception and security-header middleware.</summary>
    public static IApplicationBuilder UseReaderCacheDoor(this IApplicationBuilder app)
    {
        var door = app.ApplicationServices.GetRequiredService<ReaderCacheDoor>();
        return app.Use((http, next) => door.InvokeAsync(http, next));
    }
}
