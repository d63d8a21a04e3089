using System.Net;
using System.Net.Sockets;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Reading;

/// <summary>
/// Who a read comes from. <see cref="Source"/> is the network address (an IPv6 address's /64, which one household or
/// phone usually holds whole); the client is the source together with the browser's User-Agent, so readers behind one
/// office or school NAT count separately while one browser reloading counts once.
/// </summary>
public readonly record struct ReadOrigin(string Source, string UserAgent)
{
    public static ReadOrigin Of(HttpContext context) =>
        new(SourceOf(context.Connection.RemoteIpAddress), context.Request.Headers.UserAgent.ToString());

    /// <summary>
    /// Source and User-Agent as one string, for a window that keys by text (Redis). Made on demand: the in-memory window
    /// hashes the two parts without joining them, and an article page read from the cache counts its read this way.
    /// </summary>
    public string Client => Source + "|" + UserAgent;

    public static string SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }
}

/// <summary>
/// Decides whether a read counts: one per client and article per <see cref="ReadingOptions.ReadWindow"/>, and at most
/// <see cref="ReadingOptions.MaxReadsPerSource"/> per source and article in that window. The in-memory
/// implementation keeps the window per web node; a cluster shares one in Redis (<see cref="RedisReadWindow"/>).
/// </summary>
public interface IReadWindow
{
    ValueTask<bool> TryCountAsync(int articleId, ReadOrigin origin, CancellationToken ct = default);
}

/// <summary>
/// The window in this process's memory. Keys are hashed to 64 bits (a User-Agent can be long, and nobody's address
/// needs to be kept). Fixed windows: a client's window starts at its first counted read of the article. The tables are
/// bounded by <see cref="ReadingOptions.MaxTrackedReads"/>; when full even after dropping expired entries, reads from
/// new clients are not counted until entries expire (a flood of made-up clients must not push real reads out of the
/// window and count them again).
/// </summary>
public sealed class InMemoryReadWindow(TimeProvider time, IOptions<ReadingOptions> options) : IReadWindow
{
    private readonly Dictionary<(int Article, ulong Client), DateTimeOffset> _clients = new();
    private readonly Dictionary<(int Article, ulong Source), (DateTimeOffset Ends, int Reads)> _sources = new();
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public ValueTask<bool> TryCountAsync(int articleId, ReadOrigin origin, CancellationToken ct = default)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var source = Hash(origin.Source);
        var clientKey = (articleId, Hash(origin.UserAgent, (long)source));
        var sourceKey = (articleId, source);
        lock (_lock)
        {
            if (_clients.TryGetValue(clientKey, out var clientEnds) && clientEnds > now)
            {
                return ValueTask.FromResult(false);
            }
            var tally = _sources.TryGetValue(sourceKey, out var t) && t.Ends > now ? t : (Ends: now + o.ReadWindow, Reads: 0);
            if (tally.Reads >= o.MaxReadsPerSource)
            {
                return ValueTask.FromResult(false);
            }
            if (_clients.Count + _sources.Count >= o.MaxTrackedReads && !Sweep(now, o.MaxTrackedReads))
            {
                return ValueTask.FromResult(false);
            }
            _clients[clientKey] = now + o.ReadWindow;
            _sources[sourceKey] = (tally.Ends, tally.Reads + 1);
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>Drops expired entries (at most once a second); true when there is room afterwards.</summary>
    private bool Sweep(DateTimeOffset now, int limit)
    {
        if (now >= _nextSweep)
        {
            _nextSweep = now.AddSeconds(1);
            foreach (var (key, ends) in _clients)
            {
                if (ends <= now)
                {
                    _clients.Remove(key);
                }
            }
            foreach (var (key, tally) in _sources)
            {
                if (tally.Ends <= now)
                {
                    _sources.Remove(key);
                }
            }
        }
        return _clients.Count + _sources.Count < limit;
    }

    // Seeded per process: the keys live only in this process's memory, and a client can't aim a made-up User-Agent
    // at another reader's key without knowing the seed. SHA-256 (through OpenSSL) showed in the cached pages' profile.
    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    private static ulong Hash(string value, long seed = 0) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()), Seed ^ seed);
}
