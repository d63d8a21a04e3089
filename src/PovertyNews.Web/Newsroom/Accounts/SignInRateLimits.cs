using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Cluster;
using RedisRateLimiting;
using StackExchange.Redis;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// The sign-in form's rate limit: <see cref="NewsroomOptions.SignInAttemptsPerMinute"/> posts per client address in
/// a fixed minute. A single node counts in memory (the framework's limiter); a cluster counts in Redis
/// (RedisRateLimiting), so the limit holds however the balancer spreads the posts. While Redis cannot be reached a
/// post is counted by the node's own limiter instead (logged): sign-in keeps working, limited per node.
/// </summary>
public static class SignInRateLimits
{
    public static RateLimitPartition<string> PartitionFor(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }
        var services = context.RequestServices;
        var limit = services.GetRequiredService<IOptions<NewsroomOptions>>().Value.SignInAttemptsPerMinute;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var local = new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
        var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        if (!cluster.Enabled)
        {
            return RateLimitPartition.GetFixedWindowLimiter(address, _ => local);
        }
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimits));
        var key = $"{cluster.KeyPrefix}:signin:rate:{address}";
        return RateLimitPartition.Get(key, k => new FallbackRateLimiter(
            new RedisFixedWindowRateLimiter<string>(k, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
            }),
            new FixedWindowRateLimiter(local),
            logger));
    }

    /// <summary>The shared limiter, or the node's own for an attempt the shared one cannot count (also the read API's).</summary>
    internal sealed class FallbackRateLimiter(RateLimiter shared, RateLimiter local, ILogger logger, string limit = "sign-in") : RateLimiter
    {
        public override TimeSpan? IdleDuration =>
            shared.IdleDuration is { } a && local.IdleDuration is { } b ? (a < b ? a : b) : null;

        // RedisRateLimiting does not implement statistics (it throws), and the node's own are not the cluster's.
        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            try
            {
                return shared.AttemptAcquire(permitCount);
            }
            catch (Exception e) when (IsRedisAway(e))
            {
                logger.LogWarning(e, "The {RateLimit} rate limit could not be counted in Redis; counting this attempt on this node only", limit);
                return local.AttemptAcquire(permitCount);
            }
        }

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            try
            {
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception e) when (IsRedisAway(e))
            {
                logger.LogWarning(e, "The {RateLimit} rate limit could not be counted in Redis; counting this attempt on this node only", limit);
                return await local.AcquireAsync(permitCount, cancellationToken);
            }
        }

        private static bool IsRedisAway(Exception e) => e is RedisException or RedisTimeoutException or ObjectDisposedException;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                shared.Dispose();
                local.Dispose();
            }
            base.Dispose(disposing);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await shared.DisposeAsync();
            await local.DisposeAsync();
        }
    }
}
