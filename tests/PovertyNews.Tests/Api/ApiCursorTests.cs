using PovertyNews.Web.Api;

namespace PovertyNews.Tests.Api;

public sealed class ApiCursorTests
{
    [Fact]
    public void Cursor_RoundTrips_AsShortUrlSafeText()
    {
        var cursor = new ApiCursor(new DateTime(2020, 6, 21, 2, 3, 4, 567, DateTimeKind.Utc).AddTicks(8), 12345);
        var text = cursor.Encode();
        Assert.Matches("^[A-Za-z0-9_-]{16}$", text);
        Assert.Equal(cursor, ApiCursor.Decode(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("%%%")]
    [InlineData("AAAAAAAAAAAAAAAA")] // id 0
    [InlineData("AAAAAAAAAAAAAAA")] // 11 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Decode_RefusesWhatItDidNotMake(string? text) => Assert.Null(ApiCursor.Decode(text));

    [Fact]
    public void Decode_RefusesImpossibleTimes_AndOtherSpellings()
    {
        Assert.Null(ApiCursor.Decode("__________AAAAAB")); // ticks beyond DateTime.MaxValue
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
}
