using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public sealed class DocumentFrequenciesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Dictionary<string, long> _stored = new() { ["湘西"] = 10, ["扶贫"] = 20, ["贫"] = 30 };
    private int _counts;

    private static SearchTerm Token(string text, bool prefix = false) => new(text, [text], prefix);

    private Func<CancellationToken, Task<long>> Count(string token) => _ =>
    {
        _counts++;
        return Task.FromResult(_stored[token]);
    };

    [Fact]
    public async Task SameTokenWithinTheInterval_IsNotCountedAgain_AfterItIs()
    {
        var frequencies = new DocumentFrequencies(TimeSpan.FromMinutes(1), time: _time);
        Assert.Equal(10, await frequencies.GetAsync(Token("湘西"), 100, Count("湘西"), CancellationToken.None));
        _stored["湘西"] = 11;
        _time.Advance(TimeSpan.FromSeconds(59));

        Assert.Equal(10, await frequencies.GetAsync(Token("湘西"), 100, Count("湘西"), CancellationToken.None));
        Assert.Equal(1, _counts);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, await frequencies.GetAsync(Token("湘西"), 100, Count("湘西"), CancellationToken.None));
        Assert.Equal(2, _counts);
    }

    [Fact]
    public async Task PrefixAndLimit_AreCountsOfTheirOwn()
    {
        var frequencies = new DocumentFrequencies(TimeSpan.FromMinutes(1), time: _time);
        await frequencies.GetAsync(Token("贫"), 100, Count("贫"), CancellationToken.None);
        await frequencies.GetAsync(Token("贫", prefix: true), 100, Count("贫"), CancellationToken.None);
        await frequencies.GetAsync(Token("贫"), 200, Count("贫"), CancellationToken.None);

        Assert.Equal(3, _counts);
    }

    [Fact]
    public async Task Full_DropsStaleEntriesFirst_AndStaysWithinItsCapacity()
    {
        var frequencies = new DocumentFrequencies(TimeSpan.FromMinutes(1), capacity: 2, time: _time);
        await frequencies.GetAsync(Token("湘西"), 100, Count("湘西"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await frequencies.GetAsync(Token("扶贫"), 100, Count("扶贫"), CancellationToken.None);
        // Full: 湘西 is stale and goes, 扶贫 stays.
        await frequencies.GetAsync(Token("贫"), 100, Count("贫"), CancellationToken.None);
        Assert.Equal(3, _counts);

        await frequencies.GetAsync(Token("扶贫"), 100, Count("扶贫"), CancellationToken.None);
        Assert.Equal(3, _counts);
        Assert.True(frequencies.Count <= 2);
    }
}
