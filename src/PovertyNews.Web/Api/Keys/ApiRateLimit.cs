using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Newsroom.Accounts;
using RedisRateLimiting;
using StackExchange.Redis;

namespace PovertyNews.Web.Api.Keys;

/// <summary>
/// Requests per minute, in fixed minutes: per key with the key's own limit, per client address without a key
/// (<see cref="ApiOptions.AnonymousRequestsPerMinute"/>). Counted like the sign-in limit: in memory on a single node,
/// in Redis across a cluster (falling back to the node's own count while Redis is away). Runs before the output cache,
/// so cached answers count too.
/// </summary>
public sealed class ApiRateLimit(IOptions<ApiOptions> options, IOptions<ClusterOptions> cluster, ILogger<ApiRateLimit> logger)
    : IRateLimiterPolicy<string>
{
    public const string Name = "api";

    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        var caller = http.Features.Get<ApiCaller>() ?? ApiCallers.Anonymous(http, options.Value);
        var limit = caller.RequestsPerMinute;
        // The limit is part of the partition: a key's limiter is made once, and a new limit must not reuse the old one.
        var partition = $"{caller.Partition}:{limit.ToString(CultureInfo.InvariantCulture)}";
        var local = new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
        var shared = cluster.Value;
        if (!shared.Enabled)
        {
            return RateLimitPartition.GetFixedWindowLimiter(partition, _ => local);
        }
        var redis = http.RequestServices.GetRequiredService<IConnectionMultiplexer>();
        return RateLimitPartition.Get($"{shared.KeyPrefix}:api:rate:{partition}", key => new SignInRateLimits.FallbackRateLimiter(
            new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
            }),
            new FixedWindowRateLimiter(local),
            logger,
            "API"));
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var caller = http.Features.Get<ApiCaller>();
        var who = caller is { IsAnonymous: false } ? "这个密钥" : "未使用密钥的请求";
        await ApiResults.WriteProblemAsync(http, StatusCodes.Status429TooManyRequests, "请求过于频繁",
            $"{who}每分钟最多 {caller?.RequestsPerMinute} 次请求，请在 {seconds} 秒后再试。{MoreText(http, caller)}", ct);
    };

    private static string MoreText(HttpContext http, ApiCaller? caller)
    {
        var contact = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.KeyContact;
        var how = string.IsNullOrWhiteSpace(contact) ? "请联系本站管理员" : contact.Trim();
        return caller is { IsAnonymous: false } ? $"需要更高的限额：{how}。" : $"需要更高的限额请申请 API 密钥：{how}。";
    }
}

public static class ApiCallers
{
    public static ApiCaller Anonymous(HttpContext http, ApiOptions options) =>
        new(null, null, options.AnonymousRequestsPerMinute, "anon:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"));

    public static ApiCaller For(ActiveApiKey key) =>
        new(key.Id, key.Prefix, key.RequestsPerMinute, "key:" + key.Prefix);

    /// <summary>The key a request presents: <c>Authorization: Bearer …</c> or <c>X-Api-Key: …</c>; null when it presents none.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : authorization.Length > 0 ? authorization : null;
    }
}
