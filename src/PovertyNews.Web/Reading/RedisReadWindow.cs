using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PovertyNews.Web.Reading;

/// <summary>
/// The read window in Redis, shared by every node of a cluster: a reader whose requests the balancer spreads over the
/// nodes counts once per article and window, not once per node, and the cap per source holds over all of them. Keys
/// <c>{prefix}:reads:client:{article}:{hash}</c> (the end of the client's window) and
/// <c>{prefix}:reads:source:{article}:{hash}</c> (the source's window end and reads), hashed as in memory; one Lua
/// script decides and records, so two nodes never both count one client. Times are the app's clock, passed in; each
/// key expires with its window. While Redis cannot be reached, the node's own window decides (logged).
/// </summary>
public sealed class RedisReadWindow(IConnectionMultiplexer redis, string keyPrefix, InMemoryReadWindow local,
    TimeProvider time, IOptions<ReadingOptions> options, ILogger<RedisReadWindow> logger) : IReadWindow
{
    // KEYS: client, source; ARGV: now (ms), window (ms), most reads per source. 1 when the read counts.
    private const string Script = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        if tonumber(redis.call('GET', KEYS[1]) or '0') > now then return 0 end
        local ends = tonumber(redis.call('HGET', KEYS[2], 'ends') or '0')
        local reads = 0
        if ends > now then reads = tonumber(redis.call('HGET', KEYS[2], 'reads') or '0') else ends = now + window end
        if reads >= tonumber(ARGV[3]) then return 0 end
        redis.call('SET', KEYS[1], now + window, 'PX', window)
        redis.call('HSET', KEYS[2], 'ends', ends, 'reads', reads + 1)
        redis.call('PEXPIRE', KEYS[2], math.max(1, ends - now))
        return 1
        """;

    public async ValueTask<bool> TryCountAsync(int articleId, ReadOrigin origin, CancellationToken ct = default)
    {
        var o = options.Value;
        if (!redis.IsConnected)
        {
            // Cut off (the cluster's health check reports it and the bus logs it once): not a warning per read.
            return await local.TryCountAsync(articleId, origin, ct);
        }
        try
        {
            var counted = await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [$"{keyPrefix}:reads:client:{articleId}:{Hash(origin.Client)}", $"{keyPrefix}:reads:source:{articleId}:{Hash(origin.Source)}"],
                [time.GetUtcNow().ToUnixTimeMilliseconds(), (long)o.ReadWindow.TotalMilliseconds, o.MaxReadsPerSource]);
            return (int)counted == 1;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or ObjectDisposedException)
        {
            logger.LogWarning(e, "The read window could not be reached in Redis; this node's own window decides this read");
            return await local.TryCountAsync(articleId, origin, ct);
        }
    }

    private static string Hash(string value)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return Convert.ToHexString(digest[..8]);
    }
}
