using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Reading;

namespace PovertyNews.Tests.Reading;

public class InMemoryReadWindowTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    private InMemoryReadWindow Window(int maxTracked = 1_000, int perSource = 20) =>
        new(_clock, Options.Create(new ReadingOptions { MaxTrackedReads = maxTracked, MaxReadsPerSource = perSource }));

    private static ReadOrigin Origin(string address, string userAgent = "Mozilla/5.0 Chrome/130")
    {
        var source = ReadOrigin.SourceOf(IPAddress.Parse(address));
        return new ReadOrigin(source, userAgent);
    }

    [Fact]
    public async Task OneClient_CountsOncePerWindow_AndAgainAfterIt()
    {
        var window = Window();

        Assert.True(await window.TryCountAsync(1, Origin("203.0.113.5")));
        Assert.False(await window.TryCountAsync(1, Origin("203.0.113.5")));
        Assert.True(await window.TryCountAsync(2, Origin("203.0.113.5")));
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await window.TryCountAsync(1, Origin("203.0.113.5")));
    }

    [Fact]
    public async Task TheSameBrowser_OnTwoNetworks_IsTwoClients_AndTwoBrowsersBehindOneNat_AreTwoToo()
    {
        var window = Window();

        Assert.True(await window.TryCountAsync(1, Origin("203.0.113.5")));
        Assert.True(await window.TryCountAsync(1, Origin("198.51.100.9")));
        Assert.True(await window.TryCountAsync(1, Origin("203.0.113.5", "Mozilla/5.0 Firefox/133")));
        Assert.False(await window.TryCountAsync(1, Origin("198.51.100.9")));
    }

    [Fact]
    public void AnIpv6Network_IsOneSource()
    {
        Assert.Equal(ReadOrigin.SourceOf(IPAddress.Parse("2001:db8:1:2::1")), ReadOrigin.SourceOf(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ReadOrigin.SourceOf(IPAddress.Parse("2001:db8:1:2::1")), ReadOrigin.SourceOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.1", ReadOrigin.SourceOf(IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [Fact]
    public async Task OneSource_IsCapped_HoweverManyUserAgents()
    {
        var window = Window(perSource: 3);
        var counted = 0;
        for (var i = 0; i < 10; i++)
        {
            counted += await window.TryCountAsync(1, Origin("2001:db8::1", $"Agent/{i}")) ? 1 : 0;
        }

        Assert.Equal(3, counted);
        Assert.True(await window.TryCountAsync(1, Origin("2001:db9::1")));
    }

    [Fact]
    public async Task AFullTable_CountsNoNewClients_UntilEntriesExpire()
    {
        var window = Window(maxTracked: 1_000);
        for (var i = 0; i < 500; i++)
        {
            Assert.True(await window.TryCountAsync(i, Origin("198.51.100.7")));
        }

        Assert.False(await window.TryCountAsync(9_999, Origin("198.51.100.8")));
        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True(await window.TryCountAsync(9_999, Origin("198.51.100.8")));
    }
}
