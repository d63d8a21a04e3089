using System.Xml.Linq;
using PovertyNews.Web.Newsroom.Analytics;

namespace PovertyNews.Tests.Newsroom.Analytics;

public class ReadChartsTests
{
    [Theory]
    [InlineData(0, new long[] { 0, 1 })]
    [InlineData(1, new long[] { 0, 1 })]
    [InlineData(4, new long[] { 0, 1, 2, 3, 4 })]
    [InlineData(7, new long[] { 0, 2, 4, 6, 8 })]
    [InlineData(180, new long[] { 0, 50, 100, 150, 200 })]
    [InlineData(1000, new long[] { 0, 200, 400, 600, 800, 1000 })]
    [InlineData(1001, new long[] { 0, 500, 1000, 1500 })]
    [InlineData(98_765, new long[] { 0, 20_000, 40_000, 60_000, 80_000, 100_000 })]
    public void ValueTicks_AreRoundWholeNumbers_CoveringTheMaximum(long max, long[] ticks) =>
        Assert.Equal(ticks, ReadCharts.ValueTicks(max));

    [Theory]
    [InlineData(7, 90, 1)]
    [InlineData(30, 24, 3)]
    [InlineData(30, 9, 7)]
    [InlineData(366, 2, 28)]
    [InlineData(2, 1, 2)]
    public void LabelStep_KeepsDateLabelsApart(int days, double pixelsPerDay, int step) =>
        Assert.Equal(step, ReadCharts.LabelStep(days, pixelsPerDay));

    [Fact]
    public void Daily_IsWellFormedSvg_WithALabelPerShownDayAndTick()
    {
        var start = new DateOnly(2026, 12, 1);
        var days = Enumerable.Range(0, 7).Select(i => new DayReads(start.AddDays(i), i * 10)).ToList();

        var svg = XDocument.Parse(ReadCharts.Daily(days, narrow: true));

        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Equal("340", svg.Root!.Attribute("width")!.Value);
        Assert.Contains("12-01", texts);
        Assert.Contains("60", texts);
        Assert.DoesNotContain(svg.Descendants(), e => e.Attribute("style") is not null);
    }

    [Fact]
    public void Channels_NamesAreEscaped_AndLongOnesShortened()
    {
        var rows = new List<ChannelReads> { new(1, "<b>&扶贫要闻与政策解读专栏", 3, 1234), new(2, "产业", 1, 5) };

        var svg = XDocument.Parse(ReadCharts.Channels(rows, narrow: true));

        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Equal(["<b>&扶…", "1,234", "产业", "5"], texts);
    }
}
