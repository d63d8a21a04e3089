using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Operations.Metrics;

namespace PovertyNews.Tests.Operations;

public sealed class RequestRateHistoryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 30, TimeSpan.Zero));

    [Fact]
    public void Add_CountsPerMinute_OldestFirst()
    {
        var history = new RequestRateHistory(_clock);
        history.Add();
        history.Add();
        _clock.Advance(TimeSpan.FromMinutes(2));
        history.Add(5);

        var last = history.Last(3);

        Assert.Equal([2L, 0L, 5L], last.Select(m => m.Requests));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 2, 0, TimeSpan.Zero), last[^1].Minute);
    }

    [Fact]
    public void Add_AfterTheRingComesRound_ForgetsTheOldMinute()
    {
        var history = new RequestRateHistory(_clock);
        history.Add(7);
        _clock.Advance(TimeSpan.FromMinutes(RequestRateHistory.Minutes));
        history.Add();

        var all = history.Last();

        Assert.Equal(RequestRateHistory.Minutes, all.Count);
        Assert.Equal(1, all.Sum(m => m.Requests));
        Assert.Equal(1, all[^1].Requests);
    }
}
