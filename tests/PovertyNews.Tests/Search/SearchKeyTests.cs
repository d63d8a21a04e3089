using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Search;

public sealed class SearchKeyTests
{
    private static readonly DateTime June23 = new(2020, 6, 23, 1, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(1_000_000)]
    [InlineData((1 << 28) - 1)]
    public void ArticleId_OfAKey_IsTheIdItWasMadeFor(int id)
    {
        Assert.Equal(id, SearchKey.ArticleId(SearchKey.For(id, June23)));
        Assert.Equal(id, SearchKey.ArticleId(SearchKey.For(id, new DateTime(1990, 1, 1, 0, 0, 0, DateTimeKind.Utc))));
        Assert.Equal(id, SearchKey.ArticleId(SearchKey.For(id, DateTime.MaxValue)));
    }

    [Fact]
    public void For_LaterTime_IsAHigherKeyWhateverTheIds()
    {
        var earlier = SearchKey.For(1_000_000, June23);
        var later = SearchKey.For(1, June23.AddSeconds(1));

        Assert.True(earlier < later);
    }

    [Fact]
    public void For_SameSecond_OrdersById()
    {
        Assert.True(SearchKey.For(1, June23) < SearchKey.For(2, June23));
        Assert.Equal(SearchKey.For(5, June23), SearchKey.For(5, June23.AddMilliseconds(999)));
    }

    [Fact]
    public void For_ManyArticles_SortLikeTimeThenId()
    {
        var random = new Random(1452);
        var articles = Enumerable.Range(0, 500)
            .Select(_ => (Id: random.Next(1, 1 << 20), At: June23.AddSeconds(random.Next(-100_000, 100_000))))
            .ToList();

        var byKey = articles.OrderBy(a => SearchKey.For(a.Id, a.At)).ToList();
        var byTimeThenId = articles.OrderBy(a => a.At).ThenBy(a => a.Id).ToList();

        Assert.Equal(byTimeThenId, byKey);
    }

    [Fact]
    public void For_IsPositive()
    {
        Assert.True(SearchKey.For(1, June23) > 0);
        Assert.True(SearchKey.For((1 << 28) - 1, DateTime.MaxValue) > 0);
    }

    [Fact]
    public void LowestAndHighest_BoundEveryKeyOfThatSecond()
    {
        var low = SearchKey.Lowest(June23);
        var high = SearchKey.Highest(June23);

        Assert.True(low <= SearchKey.For(0, June23));
        Assert.True(SearchKey.For((1 << 28) - 1, June23) <= high);
        Assert.True(SearchKey.For(1, June23.AddSeconds(-1)) < low);
        Assert.True(high < SearchKey.For(0, June23.AddSeconds(1)));
        Assert.Equal(high + 1, SearchKey.Lowest(June23.AddSeconds(1)));
    }

    [Fact]
    public void LowestAndHighest_RangeOfADay_HoldsExactlyThatDaysArticles()
    {
        var from = new DateTime(2020, 6, 23, 0, 0, 0, DateTimeKind.Utc);
        var until = from.AddDays(1);
        var low = SearchKey.Lowest(from);
        var high = SearchKey.Lowest(until) - 1;

        Assert.InRange(SearchKey.For(7, from), low, high);
        Assert.InRange(SearchKey.For(7, until.AddSeconds(-1)), low, high);
        Assert.NotInRange(SearchKey.For(7, from.AddSeconds(-1)), low, high);
        Assert.NotInRange(SearchKey.For(7, until), low, high);
    }

    [Theory]
    [InlineData(1999, 12, 31)]
    [InlineData(1970, 1, 1)]
    [InlineData(1, 1, 1)]
    public void For_DateBefore2000_ClampsToTheStartWithoutThrowing(int year, int month, int day)
    {
        var at = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(3, SearchKey.For(3, at));
        Assert.Equal(0, SearchKey.Lowest(at));
        Assert.Equal((1L << 28) - 1, SearchKey.Highest(at));
        Assert.True(SearchKey.For(3, at) < SearchKey.For(3, new DateTime(2000, 1, 1, 0, 0, 1, DateTimeKind.Utc)));
    }

    [Fact]
    public void For_ExtremeDates_DoNotThrow()
    {
        Assert.Equal(0, SearchKey.Lowest(DateTime.MinValue));
        Assert.True(SearchKey.Highest(DateTime.MaxValue) > SearchKey.Highest(June23));
        Assert.Equal(SearchKey.Highest(DateTime.MaxValue), SearchKey.For((1 << 28) - 1, DateTime.MaxValue));
        Assert.True(SearchKey.Highest(DateTime.MaxValue) < long.MaxValue);
    }

    [Fact]
    public void For_TheEpoch_IsTheIdAlone() =>
        Assert.Equal(9, SearchKey.For(9, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

    [Fact]
    public void For_LocalTime_IsTheSameInstantAsUtc()
    {
        var local = June23.ToLocalTime();

        Assert.Equal(SearchKey.For(3, June23), SearchKey.For(3, local));
    }
}
