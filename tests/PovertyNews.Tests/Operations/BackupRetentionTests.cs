using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.Tests.Operations;

public sealed class BackupRetentionTests
{
    // 03:30 China Standard Time on the given day, as the schedule makes them.
    private static DateTimeOffset At(int month, int day, int hour = 3, int minute = 30) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private static IEnumerable<string> Kept(IEnumerable<DateTimeOffset> archives, int daily, int weekly) =>
        BackupRetention.Keep(archives, a => a, daily, weekly).Order().Select(a => a.ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm"));

    [Fact]
    public void FortyDailyArchives_KeepsTheNewestSevenDaysAndTheNewestOfEachOfFourWeeks()
    {
        // Monday 5 October to Friday 13 November.
        var archives = Enumerable.Range(0, 40).Select(i => At(10, 5).AddDays(i));

        // Weeks start on Monday: 9–13 Nov (its newest, the 13th, is daily too), 2–8 Nov (Sunday the 8th, daily too),
        // 26 Oct–1 Nov (Sunday 1 Nov), 19–25 Oct (Sunday 25 Oct).
        Assert.Equal(["10-25 03:30", "11-01 03:30", "11-07 03:30", "11-08 03:30", "11-09 03:30", "11-10 03:30",
            "11-11 03:30", "11-12 03:30", "11-13 03:30"], Kept(archives, daily: 7, weekly: 4));
    }

    [Fact]
    public void SeveralArchivesOnOneDay_KeepsTheNewestOfThatDay()
    {
        var archives = new[] { At(11, 9), At(11, 10, 3, 30), At(11, 10, 12, 0), At(11, 10, 18, 5) };

        Assert.Equal(["11-09 03:30", "11-10 18:05"], Kept(archives, daily: 2, weekly: 0));
    }

    [Fact]
    public void DaysAreChinaTime_NotUtc()
    {
        // 23:00 and 01:00 China time: the same UTC day (15:00 and 17:00 on the 9th), two China days.
        var archives = new[] { At(11, 9, 23, 0), At(11, 10, 1, 0) };

        Assert.Equal(["11-09 23:00", "11-10 01:00"], Kept(archives, daily: 2, weekly: 0));
    }

    [Fact]
    public void TheOnlyArchive_IsAlwaysKept()
    {
        Assert.Equal(["11-10 03:30"], Kept([At(11, 10)], daily: 1, weekly: 0));
        Assert.Empty(Kept([], daily: 7, weekly: 4));
    }

    [Fact]
    public void OnlyTheNewestDaysThatHaveAnArchive_Count_NotCalendarDays()
    {
        // A gap of a month (the schedule was off): the seven newest days with an archive are still kept.
        var archives = Enumerable.Range(0, 5).Select(i => At(9, 1).AddDays(i)).Concat([At(10, 10), At(10, 11)]);

        Assert.Equal(["09-03 03:30", "09-04 03:30", "09-05 03:30", "10-10 03:30", "10-11 03:30"], Kept(archives, daily: 5, weekly: 0));
    }

    [Theory]
    [InlineData("2026-12-05T14:00:00Z", "03:30", "2026-12-05T19:30:00Z")] // 22:00 in China: tomorrow's 03:30
    [InlineData("2026-12-05T19:30:00Z", "03:30", "2026-12-06T19:30:00Z")] // exactly at the time: the next day's
    [InlineData("2026-12-05T19:29:59Z", "03:30", "2026-12-05T19:30:00Z")]
    [InlineData("2026-12-05T10:00:00Z", "20:00", "2026-12-05T12:00:00Z")] // 18:00 in China: today's 20:00
    [InlineData("2026-12-05T17:00:00Z", "00:00", "2026-12-06T16:00:00Z")] // 01:00 on the 6th in China: midnight of the 7th
    public void NextRun_IsTheNextTimeOfDayInChina(string now, string timeOfDay, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            BackupScheduler.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture),
                TimeSpan.Parse(timeOfDay, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
