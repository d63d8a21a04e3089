using PovertyNews.Web.Newsroom.Analytics;

namespace PovertyNews.Tests.Newsroom.Analytics;

/// <summary>The period selector's rules and the figures around it, as pure functions of the input and today.</summary>
public class ReadPeriodTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    private static ReadPeriod? Parse(string? range, string? from, string? to, out List<string> errors)
    {
        errors = [];
        return ReadPeriod.Parse(range, from, to, Today, errors);
    }

    [Theory]
    [InlineData(null, "2026-11-30", "2026-12-06")]
    [InlineData("7d", "2026-11-30", "2026-12-06")]
    [InlineData("yesterday", "2026-12-06", "2026-12-06")]
    [InlineData("30d", "2026-11-07", "2026-12-06")]
    public void Presets_EndYesterday(string? range, string from, string to)
    {
        var period = Parse(range, null, null, out var errors)!;

        Assert.Empty(errors);
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), (period.From, period.To));
    }

    [Fact]
    public void Previous_IsTheSameLength_JustBefore()
    {
        var period = Parse("7d", null, null, out _)!;

        Assert.Equal(7, period.Days);
        Assert.Equal((new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29)), (period.Previous.From, period.Previous.To));
        Assert.Equal(7, period.Previous.Days);
        Assert.Equal(7, period.EachDay().Count());
    }

    [Fact]
    public void Dates_WithoutARange_AreCustom_AndMayIncludeToday()
    {
        var period = Parse(null, "2026-12-01", "2026-12-07", out var errors)!;

        Assert.Empty(errors);
        Assert.Equal(ReadPeriod.Custom, period.Range);
        Assert.Equal("2026-12-01 至 2026-12-07", period.Label);
        Assert.Equal("2026-12-07", new ReadPeriod(ReadPeriod.Custom, Today, Today).Label);
    }

    [Fact]
    public void APresetIgnoresDates_TheRangeTheUserChoseWins()
    {
        var period = Parse("yesterday", "2026-01-01", "2026-01-31", out var errors)!;

        Assert.Empty(errors);
        Assert.Equal(new DateOnly(2026, 12, 6), period.From);
    }

    [Theory]
    [InlineData("custom", "2026-12-01", "2026-12-07", null)]
    [InlineData("custom", "2025-12-07", "2026-12-07", null)] // 366 days
    [InlineData("custom", "2025-12-06", "2026-12-07", "时间范围最长 366 天，所选为 367 天。")]
    [InlineData("custom", "2026-12-02", "2026-12-01", "结束日期不能早于开始日期。")]
    [InlineData("custom", "2026-12-01", "2026-12-08", "结束日期不能晚于今天（北京时间 2026-12-07）。")]
    [InlineData("custom", "", "2026-12-01", "自定义时间范围需要开始日期。")]
    [InlineData("custom", "2026-12-01", null, "自定义时间范围需要结束日期。")]
    [InlineData("custom", "12/01/2026", "2026-12-01", "开始日期“12/01/2026”不是有效的日期（格式如 2026-12-01）。")]
    [InlineData("custom", "1999-12-01", "2026-12-01", "开始日期“1999-12-01”不是有效的日期（格式如 2026-12-01）。")]
    [InlineData("week", null, null, "时间范围“week”无效，请选择昨天、最近 7 天、最近 30 天或自定义。")]
    public void Custom_IsChecked(string range, string? from, string? to, string? error)
    {
        var period = Parse(range, from, to, out var errors);

        if (error is null)
        {
            Assert.Empty(errors);
            Assert.NotNull(period);
        }
        else
        {
            Assert.Null(period);
            Assert.Contains(error, errors);
        }
    }

    [Fact]
    public void EchoedInput_IsCutShort()
    {
        Parse(new string('x', 500), null, null, out var errors);

        Assert.True(errors.Single().Length < 80);
    }

    [Theory]
    [InlineData(196, 24, "+716.7%")]
    [InlineData(90, 100, "−10.0%")]
    [InlineData(5, 5, "持平")]
    [InlineData(5, 0, "—")]
    [InlineData(0, 0, "—")]
    public void Change_AgainstThePreviousPeriod(long current, long previous, string shown) =>
        Assert.Equal(shown, ReadPeriod.FormatChange(ReadPeriod.Change(current, previous)));
}
