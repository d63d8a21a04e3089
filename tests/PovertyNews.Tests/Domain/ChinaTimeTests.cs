using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

public class ChinaTimeTests
{
    [Fact]
    public void LateEveningUtc_IsNextMorningInBeijing()
    {
        var utc = new DateTime(2020, 6, 22, 17, 30, 0, DateTimeKind.Utc);

        Assert.Equal("2020-06-23 01:30", ChinaTime.FormatDateTime(utc));
        Assert.Equal("2020-06-23T01:30:00+08:00", ChinaTime.FormatIso(utc));
        Assert.Equal(new DateOnly(2020, 6, 23), ChinaTime.Today(utc));
    }

    [Fact]
    public void StartOfDay_IsSixteenHundredUtcTheDayBefore()
    {
        Assert.Equal(new DateTime(2020, 6, 22, 16, 0, 0, DateTimeKind.Utc), ChinaTime.StartOfDayUtc(new DateOnly(2020, 6, 23)));
    }
}
