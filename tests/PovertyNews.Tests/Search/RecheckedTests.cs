using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Search;

public sealed class RecheckedTests
{
    private readonly FakeTimeProvider _time = new();
    private int _reads;
    private long _stored = 100;

    private Task<long> ReadAsync(CancellationToken ct)
    {
        _reads++;
        return Task.FromResult(_stored);
    }

    [Fact]
    public async Task SecondReadWithinTheInterval_IsAnsweredWithoutReading()
    {
        var count = new Rechecked<long>(TimeSpan.FromMinutes(1), _time);

        Assert.Equal(100, await count.GetAsync(ReadAsync, CancellationToken.None));
        _stored = 101;
        _time.Advance(TimeSpan.FromSeconds(59));

        Assert.Equal(100, await count.GetAsync(ReadAsync, CancellationToken.None));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task ReadAfterTheInterval_ReadsTheStoreAgain()
    {
        var count = new Rechecked<long>(TimeSpan.FromMinutes(1), _time);
        await count.GetAsync(ReadAsync, CancellationToken.None);
        _stored = 101;
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(101, await count.GetAsync(ReadAsync, CancellationToken.None));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task SetValue_IsAnsweredForAWholeIntervalFromTheSet()
    {
        var months = new Rechecked<bool>(TimeSpan.FromMinutes(1), _time);
        Assert.False(await months.GetAsync(_ => Task.FromResult(false), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(50));

        months.Set(true);
        _time.Advance(TimeSpan.FromSeconds(50));

        Assert.True(await months.GetAsync(_ => throw new InvalidOperationException("read within the interval"), CancellationToken.None));
    }

    [Fact]
    public async Task FailedRead_IsNotRemembered()
    {
        var count = new Rechecked<long>(TimeSpan.FromMinutes(1), _time);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await count.GetAsync(_ => throw new InvalidOperationException("the database went away"), CancellationToken.None));

        Assert.Equal(100, await count.GetAsync(ReadAsync, CancellationToken.None));
    }
}
