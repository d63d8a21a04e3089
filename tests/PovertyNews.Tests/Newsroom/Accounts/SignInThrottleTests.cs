using System.Net;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Tests.Newsroom.Accounts;

/// <summary>The throttle's rules, whichever store keeps its counts (memory here, Redis in <see cref="RedisSignInThrottleTests"/>).</summary>
public abstract class SignInThrottleRulesTests
{
    protected const string Account = "admin@example.com";
    protected readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    protected SignInThrottle Throttle { get; }

    protected SignInThrottleRulesTests(Func<TimeProvider, SignInThrottle> create) => Throttle = create(_clock);

    [Fact]
    public async Task FifthFailure_LocksTheAccountForThatSourceOnly()
    {
        for (var i = 1; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            Assert.False(await Throttle.FailedAsync(Account, "203.0.113.7"));
        }

        Assert.True(await Throttle.FailedAsync(Account, "203.0.113.7"));
        Assert.Equal(_clock.GetUtcNow() + SignInThrottle.LockTime, await Throttle.BlockedUntilAsync(Account, "203.0.113.7"));
        Assert.Equal(_clock.GetUtcNow() + SignInThrottle.LockTime, await Throttle.LockedUntilAsync(Account));
        Assert.Null(await Throttle.BlockedUntilAsync(Account, "198.51.100.2"));
        Assert.Null(await Throttle.BlockedUntilAsync("other@example.com", "203.0.113.7"));
    }

    [Fact]
    public async Task AddressCase_IsTheSameAccount()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            await Throttle.FailedAsync(i % 2 == 0 ? Account : " ADMIN@Example.com", "203.0.113.7");
        }

        Assert.NotNull(await Throttle.BlockedUntilAsync(Account, "203.0.113.7"));
    }

    [Fact]
    public async Task Lock_EndsAfterTheWindow()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            await Throttle.FailedAsync(Account, "203.0.113.7");
        }

        _clock.Advance(SignInThrottle.LockTime + TimeSpan.FromTicks(1));

        Assert.Null(await Throttle.BlockedUntilAsync(Account, "203.0.113.7"));
        Assert.Null(await Throttle.LockedUntilAsync(Account));
    }

    [Fact]
    public async Task FailuresAcrossAccounts_DelayTheSourceProgressivelyUpToTheCap()
    {
        const string source = "203.0.113.7";
        var delays = new List<TimeSpan?>();
        for (var i = 0; i < 20; i++)
        {
            await Throttle.FailedAsync($"guess{i}@example.com", source);
            delays.Add((await Throttle.BlockedUntilAsync("fresh@example.com", source)) - _clock.GetUtcNow());
        }

        Assert.All(delays.Take(SignInThrottle.FreeFailuresPerSource), d => Assert.Null(d));
        Assert.Equal(TimeSpan.FromSeconds(1), delays[5]);
        Assert.Equal(TimeSpan.FromSeconds(2), delays[6]);
        Assert.Equal(TimeSpan.FromSeconds(4), delays[7]);
        Assert.Equal(SignInThrottle.MaxSourceDelay, delays[^1]);
        Assert.Null(await Throttle.BlockedUntilAsync("fresh@example.com", "198.51.100.2"));
    }

    [Fact]
    public async Task Success_ClearsTheAccountsCountButNotTheSourceDelay()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock - 1; i++)
        {
            await Throttle.FailedAsync(Account, "203.0.113.7");
        }
        await Throttle.SucceededAsync(Account, "203.0.113.7");

        Assert.False(await Throttle.FailedAsync(Account, "203.0.113.7"));
        await Throttle.FailedAsync("x@example.com", "203.0.113.7");
        Assert.NotNull(await Throttle.BlockedUntilAsync(Account, "203.0.113.7"));
    }

    [Fact]
    public async Task Clear_LiftsEveryLockOnTheAccount()
    {
        foreach (var source in new[] { "203.0.113.7", "198.51.100.2" })
        {
            for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
            {
                await Throttle.FailedAsync(Account, source);
            }
        }

        await Throttle.ClearAsync(Account);

        Assert.Null(await Throttle.LockedUntilAsync(Account));
        Assert.Null(await Throttle.BlockedUntilAsync(Account, "198.51.100.2"));
    }
}

/// <summary>The counts in the node's memory (a single node).</summary>
public sealed class SignInThrottleTests() : SignInThrottleRulesTests(clock => new SignInThrottle(clock))
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Source_IsTheAddressOrItsIPv6Slash64(string address, string source) =>
        Assert.Equal(source, SignInThrottle.SourceOf(IPAddress.Parse(address)));

    [Fact]
    public async Task ManySources_StayBounded()
    {
        for (var i = 0; i < SignInThrottle.MaxEntries; i++)
        {
            await Throttle.FailedAsync(Account, $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}");
        }

        await Throttle.FailedAsync(Account, "203.0.113.7");

        Assert.True(Throttle.Count < SignInThrottle.MaxEntries);
        Assert.False(await Throttle.FailedAsync(Account, "203.0.113.7"));
    }
}
