using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Testing;
using PovertyNews.Web.Newsroom.Accounts;
using StackExchange.Redis;

namespace PovertyNews.Tests.Newsroom.Accounts;

/// <summary>A connection to the test run's Redis, as a cluster node makes it (commands fail at once while Redis is away).</summary>
public sealed class RedisConnection : IDisposable
{
    public static IConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = options.AsyncTimeout = options.SyncTimeout = 2000;
        var multiplexer = ConnectionMultiplexer.Connect(options);
        // Without AbortOnConnectFail, Connect can return before the handshake is done on a loaded machine; a command
        // then fails at once and the throttle counts it in memory, which is not what these tests set out to count.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!multiplexer.IsConnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                multiplexer.Dispose();
                throw new InvalidOperationException($"Could not connect to Redis at {configuration} within 30 s.");
            }
            Thread.Sleep(20);
        }
        return multiplexer;
    }

    public IConnectionMultiplexer Multiplexer { get; } = Connect(RedisServer.Instance.Configuration);

    public void Dispose() => Multiplexer.Dispose();
}

/// <summary>The rules with the counts in a real Redis, as every node of a cluster keeps them; and what Redis adds.</summary>
public sealed class RedisSignInThrottleTests : SignInThrottleRulesTests, IClassFixture<RedisConnection>
{
    private readonly RedisConnection _redis;
    private readonly string _ownPrefix;

    public RedisSignInThrottleTests(RedisConnection redis) : this(redis, "test" + Guid.NewGuid().ToString("N")[..12])
    {
    }

    // A prefix per test: the tests share one Redis server and must not see one another's counts.
    private RedisSignInThrottleTests(RedisConnection redis, string prefix) : base(clock => Create(redis.Multiplexer, clock, prefix))
    {
        _redis = redis;
        _ownPrefix = prefix;
    }

    private static SignInThrottle Create(IConnectionMultiplexer multiplexer, TimeProvider clock, string prefix) =>
        new(clock, new RedisSignInCounters(multiplexer, prefix), NullLogger<SignInThrottle>.Instance);

    [Fact]
    public async Task FailuresSpreadOverTwoNodes_LockTheAccountForThatSourceOnBoth()
    {
        var other = Create(_redis.Multiplexer, _clock, _ownPrefix);
        for (var i = 1; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            Assert.False(await (i % 2 == 0 ? Throttle : other).FailedAsync(Account, "203.0.113.7"));
        }

        Assert.True(await other.FailedAsync(Account, "203.0.113.7"));
        var until = _clock.GetUtcNow() + SignInThrottle.LockTime;
        Assert.Equal(until, await Throttle.BlockedUntilAsync(Account, "203.0.113.7"));
        Assert.Equal(until, await other.BlockedUntilAsync(Account, "203.0.113.7"));
        Assert.Equal(until, await Throttle.LockedUntilAsync(Account));
        Assert.Null(await other.BlockedUntilAsync(Account, "198.51.100.2"));
    }

    [Fact]
    public async Task ManyNodesCountingAtOnce_LoseNoFailure()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => Create(_redis.Multiplexer, _clock, _ownPrefix)).ToList();

        await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 10).Select(i => n.FailedAsync($"guess{i}@example.com", "203.0.113.7"))));

        // 40 failures from the source: the delay after the last is the cap (20 or more over the free ones).
        Assert.Equal(_clock.GetUtcNow() + SignInThrottle.MaxSourceDelay, await nodes[0].BlockedUntilAsync("fresh@example.com", "203.0.113.7"));
    }

    [Fact]
    public async Task Keys_StayUnderTheSignInPrefix_AndExpireByThemselves()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            await Throttle.FailedAsync(Account, "203.0.113.7");
        }
        await Throttle.FailedAsync("other@example.com", "203.0.113.7");

        var server = _redis.Multiplexer.GetServers().Single();
        var keys = server.Keys(pattern: _ownPrefix + ":*").ToList();
        // The source, the other account's failures and the locked account's locks (the lock emptied its failures).
        Assert.Equal(3, keys.Count);
        foreach (var key in keys)
        {
            Assert.StartsWith(_ownPrefix + ":signin:", key.ToString());
            var ttl = await _redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), SignInThrottle.SourceMemory);
        }
    }

    [Fact]
    public async Task RedisStopped_CountsInTheNodesMemory_WithoutFailing()
    {
        using var own = RedisServer.StartNew();
        using var multiplexer = RedisConnection.Connect(own.Configuration);
        var clock = new FakeTimeProvider(_clock.GetUtcNow());
        var throttle = Create(multiplexer, clock, _ownPrefix);
        await throttle.FailedAsync(Account, "203.0.113.7");
        Assert.True(await multiplexer.GetDatabase().KeyExistsAsync($"{_ownPrefix}:signin:source:203.0.113.7"), "the first failure is counted in Redis");

        own.Stop();
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock - 1; i++)
        {
            Assert.False(await throttle.FailedAsync(Account, "203.0.113.7"));
        }
        Assert.True(await throttle.FailedAsync(Account, "203.0.113.7"));

        Assert.NotNull(await throttle.BlockedUntilAsync(Account, "203.0.113.7"));
        Assert.NotNull(await throttle.LockedUntilAsync(Account));
        await throttle.SucceededAsync(Account, "198.51.100.2");
        await throttle.ClearAsync(Account);
        Assert.Null(await throttle.LockedUntilAsync(Account));
    }
}
