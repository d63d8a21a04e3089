using PovertyNews.Web.Reading;

namespace PovertyNews.Tests.Reading;

public class ViewCounterTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.31")]
    [InlineData("")]
    [InlineData(null)]
    public void ObviousBots_AreNotCounted(string? userAgent)
    {
        var counter = new ViewCounter();

        counter.Record(1, userAgent);

        Assert.Empty(counter.Drain());
    }

    [Theory]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36")]
    public void Readers_AreCounted(string userAgent)
    {
        var counter = new ViewCounter();

        counter.Record(1, userAgent);
        counter.Record(1, userAgent);
        counter.Record(2, userAgent);

        var counts = counter.Drain();
        Assert.Equal(2, counts[1]);
        Assert.Equal(1, counts[2]);
        Assert.Empty(counter.Drain());
    }

    [Fact]
    public void ConcurrentReads_AreAllCounted()
    {
        var counter = new ViewCounter();

        Parallel.For(0, 10_000, _ => counter.Record(7, "Mozilla/5.0 Chrome/130"));

        Assert.Equal(10_000, counter.Drain()[7]);
    }

    [Fact]
    public void Restore_PutsCountsBackBesideNewReads()
    {
        var counter = new ViewCounter();
        counter.Record(1, Browser);
        var failed = counter.Drain();
        counter.Record(1, Browser);
        counter.Record(2, Browser);

        var dropped = counter.Restore(failed);

        Assert.Equal(0, dropped);
        Assert.Equal(new Dictionary<int, long> { [1] = 2, [2] = 1 }, counter.Drain().OrderBy(p => p.Key).ToDictionary());
    }

    [Fact]
    public void Restore_HoldsAtMostTheBoundOfArticles()
    {
        var counter = new ViewCounter();
        var failed = Enumerable.Range(1, ViewCounter.MaxHeldArticles + 10).ToDictionary(id => id, _ => 3L);

        var dropped = counter.Restore(failed);
        var again = counter.Restore(new Dictionary<int, long> { [1] = 1, [ViewCounter.MaxHeldArticles + 20] = 5 });

        Assert.Equal(30, dropped);
        Assert.Equal(5, again); // a new article over the bound is dropped; one already held still adds up
        var held = counter.Drain();
        Assert.Equal(ViewCounter.MaxHeldArticles, held.Count);
        Assert.Equal(4, held[1]);
    }

    [Fact]
    public void ReadsByHost_AreCountedBesideTheReads_AndReadsWithoutAKnownSourceOnlyThere()
    {
        var counter = new ViewCounter();

        counter.Record(1, Browser, "www.baidu.com");
        counter.Record(1, Browser, "www.baidu.com");
        counter.Record(1, Browser, ReferrerHost.Direct);
        counter.Record(2, Browser);

        Assert.Equal(new Dictionary<int, long> { [1] = 3, [2] = 1 }, counter.Drain().OrderBy(p => p.Key).ToDictionary());
        var sources = counter.DrainSources();
        Assert.Equal(2, sources[new ViewCounter.ArticleSource(1, "www.baidu.com")]);
        Assert.Equal(1, sources[new ViewCounter.ArticleSource(1, ReferrerHost.Direct)]);
        Assert.Equal(2, sources.Count);
    }

    [Fact]
    public void ForgedHosts_PastTheBound_AreDropped_TheReadsStillCount()
    {
        var counter = new ViewCounter();

        for (var i = 0; i < ViewCounter.MaxHeldSources + 100; i++)
        {
            counter.Record(1, Browser, $"h{i}.example.com");
        }
        counter.Record(1, Browser, "h0.example.com");

        Assert.Equal(ViewCounter.MaxHeldSources + 101, counter.Drain()[1]);
        var sources = counter.DrainSources();
        Assert.Equal(ViewCounter.MaxHeldSources, sources.Count);
        Assert.Equal(2, sources[new ViewCounter.ArticleSource(1, "h0.example.com")]);
    }

    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
}
