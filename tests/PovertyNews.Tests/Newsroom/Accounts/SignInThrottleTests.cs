using System.Net;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Tests.Newsroom.Accounts;

public class SignInThrottleTests
{
    private const string Account = "admin@example.com";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private SignInThrottle Throttle { get; }

    public SignInThrottleTests() => Throttle = new SignInThrottle(_clock);

    [Fact]
    public void FifthFailure_LocksTheAccountForThatSourceOnly()
    {
        for (var i = 1; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            Assert.False(Throttle.Failed(Account, "203.0.113.7"));
        }

        Assert.True(Throttle.Failed(Account, "203.0.113.7"));
        Assert.Equal(_clock.GetUtcNow() + SignInThrottle.LockTime, Throttle.BlockedUntil(Account, "203.0.113.7"));
        Assert.Equal(_clock.GetUtcNow() + SignInThrottle.LockTime, Throttle.LockedUntil(Account));
        Assert.Null(Throttle.BlockedUntil(Account, "198.51.100.2"));
        Assert.Null(Throttle.BlockedUntil("other@example.com", "203.0.113.7"));
    }

    [Fact]
    public void AddressCase_IsTheSameAccount()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            Throttle.Failed(i % 2 == 0 ? Account : " ADMIN@Example.com", "203.0.113.7");
        }

        Assert.NotNull(Throttle.BlockedUntil(Account, "203.0.113.7"));
    }

    [Fact]
    public void Lock_EndsAfterTheWindow()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
        {
            Throttle.Failed(Account, "203.0.113.7");
        }

        _clock.Advance(SignInThrottle.LockTime + TimeSpan.FromTicks(1));

        Assert.Null(Throttle.BlockedUntil(Account, "203.0.113.7"));
        Assert.Null(Throttle.LockedUntil(Account));
    }

    [Fact]
    public void FailuresAcrossAccounts_DelayTheSourceProgressivelyUpToTheCap()
    {
        const string source = "203.0.113.7";
        var delays = new List<TimeSpan?>();
        for (var i = 0; i < 20; i++)
        {
            Throttle.Failed($"guess{i}@example.com", source);
            delays.Add(Throttle.BlockedUntil("fresh@example.com", source) - _clock.GetUtcNow());
        }

        Assert.All(delays.Take(SignInThrottle.FreeFailuresPerSource), d => Assert.Null(d));
        Assert.Equal(TimeSpan.FromSeconds(1), delays[5]);
        Assert.Equal(TimeSpan.FromSeconds(2), delays[6]);
        Assert.Equal(TimeSpan.FromSeconds(4), delays[7]);
        Assert.Equal(SignInThrottle.MaxSourceDelay, delays[^1]);
        Assert.Null(Throttle.BlockedUntil("fresh@example.com", "198.51.100.2"));
    }

    [Fact]
    public void Success_ClearsTheAccountsCountButNotTheSourceDelay()
    {
        for (var i = 0; i < SignInThrottle.FailuresBeforeLock - 1; i++)
        {
            Throttle.Failed(Account, "203.0.113.7");
        }
        Throttle.Succeeded(Account, "203.0.113.7");

        Assert.False(Throttle.Failed(Account, "203.0.113.7"));
        Throttle.Failed("x@example.com", "203.0.113.7");
        Assert.NotNull(Throttle.BlockedUntil(Account, "203.0.113.7"));
    }

    [Fact]
    public void Clear_LiftsEveryLockOnTheAccount()
    {
        foreach (var source in new[] { "203.0.113.7", "198.51.100.2" })
        {
            for (var i = 0; i < SignInThrottle.FailuresBeforeLock; i++)
            {
                Throttle.Failed(Account, source);
            }
        }

        Throttle.Clear(Account);

        Assert.Null(Throttle.LockedUntil(Account));
        Assert.Null(Throttle.BlockedUntil(Account, "198.51.100.2"));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Source_IsTheAddressOrItsIPv6Slash64(string address, string source) =>
        Assert.Equal(source, SignInThrottle.SourceOf(IPAddress.Parse(address)));

    [Fact]
    public void ManySources_StayBounded()
    {
        for (var i = 0; i < SignInThrottle.MaxEntries; i++)
        {
            Throttle.Failed(Account, $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}");
        }

        Throttle.Failed(Account, "203.0.113.7");

        Assert.True(Throttle.Count < SignInThrottle.MaxEntries);
        Assert.False(Throttle.Failed(Account, "203.0.113.7"));
    }
}
