using PovertyNews.Web.Api;

namespace PovertyNews.Tests.Api;

public sealed class ApiCursorTests
{
    [Fact]
    public void Cursor_RoundTrips_AsShortUrlSafeText()
    {
        var cursor = new ApiCursor(new DateTime(2020, 6, 21, 2, 3, 4, 567, DateTimeKind.Utc).AddTicks(8), 12345,
            ApiCursor.FiltersOf("xiezuo", null, null, "video"));
        var text = cursor.Encode();
        Assert.Matches("^[A-Za-z0-9_-]{22}$", text);
        Assert.Equal(cursor, ApiCursor.Decode(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("%%%")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")] // id 0
    [InlineData("AAAAAAAAAAAAAAAA")] // 12 bytes: the form before the filters' fingerprint
    [InlineData("AAAAAAAAAAAAAAA")] // 11 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Decode_RefusesWhatItDidNotMake(string? text) => Assert.Null(ApiCursor.Decode(text));

    [Fact]
    public void Decode_RefusesImpossibleTimes_AndOtherSpellings()
    {
        Assert.Null(ApiCursor.Decode("__________AAAAAQAAAAAA")); // ticks beyond DateTime.MaxValue
        var text = new ApiCursor(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1).Encode();
        Assert.Null(ApiCursor.Decode(text + "="));
    }

    [Fact]
    public void Order_OfCursors_FollowsTimeThenId()
    {
        var at = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.NotEqual(new ApiCursor(at, 1).Encode(), new ApiCursor(at, 2).Encode());
        Assert.NotEqual(new ApiCursor(at, 1).Encode(), new ApiCursor(at.AddTicks(1), 1).Encode());
    }

    [Fact]
    public void FiltersOf_TellsListsApart_AndNoFiltersIsZero()
    {
        Assert.Equal(0u, ApiCursor.FiltersOf(null, null, null, null));
        Assert.NotEqual(ApiCursor.FiltersOf("xiezuo", null), ApiCursor.FiltersOf(null, "xiezuo"));
        Assert.NotEqual(ApiCursor.FiltersOf("xiezuo", null), ApiCursor.FiltersOf("tuopin", null));
        Assert.Equal(ApiCursor.FiltersOf("xiezuo", "湘西"), ApiCursor.FiltersOf("xiezuo", "湘西"));
    }
}
