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
/// gets the render, the second the cache, the third the door). It is good while the cache still holds the very entry
/// it was copied from, and not past that entry's own expiry. While no eviction has happened since the copy was last
/// checked (the generation of <see cref="ConsistentOutputCacheStore"/>, which every eviction bumps, on this node or
/// announced by another), that is known without asking; after one, the store is asked under its evictions' lock. So an
/// eviction retires exactly the copies of the entries it removed, and no page can be older at the door than in the
/// cache. (Retiring every copy on every eviction re-copied the door's whole content after each publish: under an
/// editor publishing every second, half of what the server allocated.) The portal snapshot is checked first, as for a
/// cached page, so a scheduled article that fell due evicts before the door answers.
/// </para>
/// <para>
/// The door's room is bounded (<see cref="ReaderCacheOptions.DoorMegabytes"/>). A copy is only taken when it fits,
/// decided before the first byte is copied, so a full door costs the cache's answers nothing.
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
    private const long SweepInterval = 250;
    private long _sweptAt = -1;
    private long _sweptTicks = long.MinValue / 2;
    private long _served;
    private long _copied;
    private long _ownCopies;

    /// <summary>Requests answered at the door since start.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Answers the door started to copy since start (whether or not the copy was kept).</summary>
    public long Copied => Interlocked.Read(ref _copied);

    /// <summary>Of those, the ones whose bytes were not the cache entry's own and had to be copied.</summary>
    public long OwnCopies => Interlocked.Read(ref _ownCopies);

    /// <param name="createdAt">When the output cache made the entry (<see cref="Environment.TickCount64"/>).</param>
    /// <param name="articleId">The article whose read an answer counts, for article pages.</param>
    /// <param name="source">The store's entry it was copied from. The body usually points into it anyway; an answer whose
    /// entry was evicted is let go at the next look (<see cref="HasRoomFor"/>) or request.</param>
    private sealed class Copy(long createdAt, int? articleId, KeyValuePair<string, StringValues>[] headers, ReadOnlyMemory<byte> body,
        StoredEntry source)
    {
        public long CreatedAt { get; } = createdAt;
        public int? ArticleId { get; } = articleId;
        public KeyValuePair<string, StringValues>[] Headers { get; } = headers;
        /// <summary>Usually a slice of the store's entry itself (see <see cref="TeeStream"/>), so not a second copy.</summary>
        public ReadOnlyMemory<byte> Body { get; } = body;
        public StoredEntry Source { get; } = source;

        /// <summary>A generation at which the store was known to hold <see cref="Source"/>.</summary>
        public long CheckedAt;
    }

    /// <summary>Whether a request may be answered at the door: a plain GET, nothing in it that makes its answer its own.</summary>
    private static bool IsPlain(HttpRequest request)
    {
        var headers = request.Headers;
        return HttpMethods.IsGet(request.Method)
            && !headers.ContainsKey(HeaderNames.Cookie) && !headers.ContainsKey(HeaderNames.Authorization)
            && !headers.ContainsKey(HeaderNames.IfNoneMatch) && !headers.ContainsKey(HeaderNames.IfModifiedSince)
            && !headers.ContainsKey(HeaderNames.Range);
    }

    /// <summary>The door's key of a plain request, or null if the request must take the whole pipeline.</summary>
    public static string? KeyOf(HttpRequest request) =>
        IsPlain(request) ? string.Create(FormatKey(request, []), request, (key, r) => FormatKey(r, key)) : null;

    /// <summary>
    /// Writes the key into <paramref name="destination"/> when it is long enough and returns the key's length either way.
    /// The raw Accept-Encoding is part of it: the cache keys by the coding it chose from it, so equal values always agree.
    /// </summary>
    private static int FormatKey(HttpRequest request, Span<char> destination)
    {
        var encoding = request.Headers.AcceptEncoding;
        ReadOnlySpan<string?> parts =
        [
            request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value, "\n",
            encoding.Count <= 1 ? (string?)encoding : encoding.ToString(),
        ];
        var length = 0;
        foreach (var part in parts)
        {
            length += part?.Length ?? 0;
        }
        if (length <= destination.Length)
        {
            var at = 0;
            foreach (var part in parts)
            {
                part.AsSpan().CopyTo(destination[at..]);
                at += part?.Length ?? 0;
            }
        }
        return length;
    }

    private const int StackKeyLength = 1024;

    /// <summary>
    /// The door's answer for a plain request, if it has one: looked up by the key written on the stack, so a request
    /// answered here makes no key string (the key is made only to keep or retire a copy).
    /// </summary>
    private Copy? Find(HttpRequest request)
    {
        Span<char> buffer = stackalloc char[StackKeyLength];
        var length = FormatKey(request, buffer);
        if (length > buffer.Length)
        {
            return _copies.GetValueOrDefault(KeyOf(request)!);
        }
        return _copies.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(buffer[..length], out var copy) ? copy : null;
    }

    /// <summary>First after the hosting, security-header and exception middleware.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (_byteLimit == 0 || !IsPlain(http.Request))
        {
            await next(http);
            return;
        }
        var key = (string?)null;
        if (Find(http.Request) is { } copy)
        {
            if (Environment.TickCount64 - copy.CreatedAt < _lifetime && await SnapshotCurrentAsync(http) && IsCurrent(copy))
            {
                await AnswerAsync(http, copy);
                return;
            }
            key = KeyOf(http.Request)!;
            Retire(key, copy);
        }
        http.Items[KeyItem] = key ?? KeyOf(http.Request);
        await next(http);
    }

    /// <summary>Whether the cache still holds the entry the copy was taken from.</summary>
    private bool IsCurrent(Copy copy)
    {
        if (Volatile.Read(ref copy.CheckedAt) == store.Generation)
        {
            return true;
        }
        if (store.StillHolds(copy.Source.Key, copy.Source.Entry, out var generation))
        {
            Volatile.Write(ref copy.CheckedAt, generation);
            return true;
        }
        return false;
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
        using var tee = new TeeStream(this, http, body, MaximumCopyBytes);
        response.Body = tee;
        try
        {
            await next(http);
        }
        finally
        {
            response.Body = body;
        }
        if (ConsistentOutputCacheStore.EntryOf(http) is { } source && ConsistentOutputCacheStore.StampOf(http) is { } generation
            && response.StatusCode == StatusCodes.Status200OK && tee.Keeping
            && response.ContentLength == tee.Length && StringValues.IsNullOrEmpty(response.Headers.SetCookie)
            && !http.RequestAborted.IsCancellationRequested
            && int.TryParse(response.Headers.Age, NumberStyles.None, CultureInfo.InvariantCulture, out var age))
        {
            var headers = response.Headers.Where(h => !string.Equals(h.Key, HeaderNames.Age, StringComparison.OrdinalIgnoreCase)).ToArray();
            // Age is whole seconds: taking the entry as a second older keeps the copy inside the entry's lifetime.
            var createdAt = Environment.TickCount64 - (age + 1) * 1000L;
            Keep(key, new Copy(createdAt, ViewCounting.ArticleOf(http), headers, tee.Body, source)
            {
                CheckedAt = generation,
            });
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

    /// <summary>
    /// Whether a copy of this many bytes would fit. After evictions, copies whose entries the cache no longer holds
    /// (or that expired) are let go, which also lets go of the entries they point into: at once if the door is full,
    /// otherwise a quarter of a second after the last look at the earliest, as evictions come in bursts (one per tag
    /// of a save).
    /// </summary>
    private bool HasRoomFor(long length)
    {
        lock (_gate)
        {
            var generation = store.Generation;
            var now = Environment.TickCount64;
            if (_sweptAt != generation && (!Fits(length) || now - _sweptTicks >= SweepInterval))
            {
                _sweptAt = generation;
                _sweptTicks = now;
                foreach (var (key, copy) in _copies)
                {
                    if (now - copy.CreatedAt >= _lifetime || !IsCurrent(copy))
                    {
                        RemoveLocked(key, copy);
                    }
                }
            }
            return Fits(length);
        }
    }

    private bool Fits(long length) => _copies.Count < MaximumEntries && _bytes + length <= _byteLimit;

    private void Keep(string key, Copy copy)
    {
        lock (_gate)
        {
            if (copy.CheckedAt != store.Generation)
            {
                // An eviction since the request looked into the cache may have removed its entry.
                return;
            }
            if (_copies.TryGetValue(key, out var old))
            {
                RemoveLocked(key, old);
            }
            if (!Fits(copy.Body.Length))
            {
                return;
            }
            _copies[key] = copy;
            _bytes += copy.Body.Length;
        }
    }

    private void RemoveLocked(string key, Copy copy)
    {
        if (_copies.TryRemove(new KeyValuePair<string, Copy>(key, copy)))
        {
            _bytes -= copy.Body.Length;
        }
    }

    private void Retire(string key, Copy copy)
    {
        lock (_gate)
        {
            RemoveLocked(key, copy);
        }
    }

    /// <summary>
    /// Writes through to the response and keeps what went by (<see cref="AnswerCopy"/>), if the answer has a
    /// Content-Length, is within the limit and fits the door.
    /// </summary>
    private sealed class TeeStream(ReaderCacheDoor door, HttpContext http, Stream inner, long limit) : Stream
    {
        private AnswerCopy? _copy;
        private bool _decided;

        /// <summary>Whether every byte that went by was kept.</summary>
        public bool Keeping => _copy is { Overflowed: false };

        public override long Length => _copy?.Length ?? 0;

        public ReadOnlyMemory<byte> Body => _copy?.Body ?? ReadOnlyMemory<byte>.Empty;

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
            if (!_decided)
            {
                _decided = true;
                // Only an answer whose length is known can be kept (see CopyAsync), and only if it fits.
                if (http.Response.ContentLength is { } length && length > 0 && length <= limit && door.HasRoomFor(length))
                {
                    Interlocked.Increment(ref door._copied);
                    _copy = new AnswerCopy((int)length, ConsistentOutputCacheStore.EntryOf(http)?.Entry);
                    if (!_copy.Shared)
                    {
                        Interlocked.Increment(ref door._ownCopies);
                    }
                }
            }
            if (_copy is null || _copy.Overflowed)
            {
                return;
            }
            if (_copy.Append(buffer) && !_copy.Shared)
            {
                // Counted once, at the first byte that had to be copied.
                Interlocked.Increment(ref door._ownCopies);
            }
        }
    }
}

/// <summary>
/// The bytes of an answer of known length as they go by. The output cache answers from the entry the store holds,
/// whose last bytes are the body: while what goes by matches them, nothing is copied and <see cref="Body"/> is a slice
/// of the store's own array. From the first difference on (another entry format, a body changed on the way), the
/// answer is copied into one buffer of its final size, the part before taken from the entry, which matched.
/// </summary>
internal sealed class AnswerCopy
{
    private readonly ReadOnlyMemory<byte> _expected;
    private readonly int _capacity;
    private byte[]? _copy;

    /// <param name="length">The answer's Content-Length.</param>
    /// <param name="entry">The stored entry the answer comes from, if known.</param>
    public AnswerCopy(int length, byte[]? entry)
    {
        _capacity = length;
        if (entry is not null && entry.Length >= length)
        {
            _expected = entry.AsMemory(entry.Length - length);
        }
        else
        {
            _copy = new byte[length];
        }
    }

    public int Length { get; private set; }

    /// <summary>More bytes went by than the length announced: nothing is kept.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Whether <see cref="Body"/> is the entry's own memory rather than a copy.</summary>
    public bool Shared => _copy is null;

    public ReadOnlyMemory<byte> Body => Overflowed ? ReadOnlyMemory<byte>.Empty
        : _copy is null ? _expected[..Length] : _copy.AsMemory(0, Length);

    /// <summary>Adds the next bytes; true if this call started a copy of its own.</summary>
    public bool Append(ReadOnlySpan<byte> buffer)
    {
        if (Overflowed || buffer.IsEmpty)
        {
            return false;
        }
        if (Length + buffer.Length > _capacity)
        {
            Overflowed = true;
            _copy = null;
            return false;
        }
        var started = false;
        if (_copy is null && !buffer.SequenceEqual(_expected.Span.Slice(Length, buffer.Length)))
        {
            _copy = new byte[_capacity];
            _expected.Span[..Length].CopyTo(_copy);
            started = true;
        }
        if (_copy is not null)
        {
            buffer.CopyTo(_copy.AsSpan(Length));
        }
        Length += buffer.Length;
        return started;
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
