using System.Globalization;
using System.Security;
using System.Text;
using ScottPlot;

namespace PovertyNews.Web.Newsroom.Analytics;

/// <summary>
/// 传播数据's charts as SVG documents, drawn on the server with ScottPlot and served as images (an <c>img</c> of this
/// site, which the content security policy allows, where inline SVG would bring its ids into the page).
/// </summary>
/// <remarks>
/// ScottPlot draws the geometry: bars, lines, grid and tick marks. The words and numbers are added afterwards as SVG
/// <c>&lt;text&gt;</c> at the pixels ScottPlot computed, and the reader's browser sets them in its own fonts. The app's
/// SkiaSharp is the build without fontconfig, so on the server Skia knows no font at all (ScottPlot would draw no
/// text), and a CJK font for channel names would be 16 MB to ship; browsers everywhere have one. Sizes are pixels of
/// the SVG itself: the page asks for the narrow drawing on a phone (a <c>picture</c> source), so the 12 px labels stay
/// 12 px at 360 px instead of shrinking with a desktop drawing.
/// </remarks>
public static class ReadCharts
{
    public const string Accent = "#b71c1c";
    private const string TextColor = "#3d4147";
    private const double FontSize = 12;
    /// <summary>Width of a digit at 12 px in common sans-serif fonts, rounded up: room is reserved for labels by this.</summary>
    private const double DigitWidth = 7.2;
    /// <summary>Width of a CJK character at 12 px.</summary>
    private const double WideCharWidth = 12.5;
    /// <summary>The most channels drawn as bars; the table below the chart has them all.</summary>
    public const int MaxChannelBars = 15;

    public static (int Width, int Height) DailySize(bool narrow) => narrow ? (340, 220) : (760, 280);

    public static (int Width, int Height) ChannelsSize(bool narrow, int channels) =>
        (narrow ? 340 : 760, 16 + Math.Clamp(channels, 1, MaxChannelBars) * (narrow ? 26 : 28));

    /// <summary>Reads per day: bars for up to two months, a line beyond (bars a pixel wide say nothing).</summary>
    public static string Daily(IReadOnlyList<DayReads> days, bool narrow)
    {
        var (width, height) = DailySize(narrow);
        var ticks = ValueTicks(days.Count == 0 ? 0 : days.Max(d => d.Reads));
        var top = ticks[^1];
        var labels = ticks.Select(Number).ToList();
        var left = 10 + labels.Max(l => l.Length) * DigitWidth;
        using var plot = new Plot();
        plot.Layout.Fixed(new PixelPadding((float)left, 14, 26, 10));
        var values = days.Select(d => (double)d.Reads).ToArray();
        if (days.Count <= 62)
        {
            var bars = plot.Add.Bars(values);
            foreach (var bar in bars.Bars)
            {
                bar.FillColor = Color.FromHex(Accent);
                bar.LineWidth = 0;
                bar.Size = 0.7;
            }
        }
        else
        {
            var line = plot.Add.ScatterLine(Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray(), values);
            line.Color = Color.FromHex(Accent);
            line.LineWidth = 1.5f;
        }
        var step = LabelStep(days.Count, (width - left - 14) / Math.Max(1, days.Count));
        var labelled = Enumerable.Range(0, days.Count).Where(i => i % step == 0).ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. labelled.Select(i => (double)i)], [.. labelled.Select(_ => "")]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. ticks.Select(t => (double)t)], [.. ticks.Select(_ => "")]);
        plot.Axes.SetLimits(-0.5, Math.Max(days.Count, 1) - 0.5, 0, top);

        var svg = plot.GetSvgXml(width, height);
        var text = new StringBuilder();
        foreach (var i in labelled)
        {
            var p = plot.GetPixel(new Coordinates(i, 0));
            Text(text, p.X, p.Y + 18, days[i].Day.ToString("MM-dd", CultureInfo.InvariantCulture), "middle");
        }
        for (var i = 0; i < ticks.Count; i++)
        {
            var p = plot.GetPixel(new Coordinates(-0.5, ticks[i]));
            Text(text, p.X - 6, p.Y + 4, labels[i], "end");
        }
        return WithText(svg, text);
    }

    /// <summary>Reads per channel as horizontal bars, most read on top, each named on the left and numbered at its end.</summary>
    public static string Channels(IReadOnlyList<ChannelReads> channels, bool narrow)
    {
        var shown = channels.Take(MaxChannelBars).ToList();
        var (width, height) = ChannelsSize(narrow, shown.Count);
        var names = shown.Select(c => Shorten(c.Name, narrow ? 6 : 10)).ToList();
        var left = Math.Min(width * 0.4, 12 + names.DefaultIfEmpty("").Max(TextWidth));
        var right = 10 + shown.Select(c => Number(c.Reads).Length * DigitWidth).DefaultIfEmpty(0).Max();
        using var plot = new Plot();
        plot.Layout.Fixed(new PixelPadding((float)left, (float)right, 6, 10));
        plot.HideGrid();
        plot.Axes.Frame(false);
        var bars = plot.Add.Bars(shown.Select(c => (double)c.Reads).Reverse().ToArray());
        bars.Horizontal = true;
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = Color.FromHex(Accent);
            bar.LineWidth = 0;
            bar.Size = 0.66;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.SetLimits(0, Math.Max(1, shown.Select(c => c.Reads).DefaultIfEmpty(0).Max()), -0.5, Math.Max(shown.Count, 1) - 0.5);

        var svg = plot.GetSvgXml(width, height);
        var text = new StringBuilder();
        for (var i = 0; i < shown.Count; i++)
        {
            var row = shown.Count - 1 - i;
            var start = plot.GetPixel(new Coordinates(0, row));
            var end = plot.GetPixel(new Coordinates(shown[i].Reads, row));
            Text(text, start.X - 6, start.Y + 4, names[i], "end");
            Text(text, end.X + 4, end.Y + 4, Number(shown[i].Reads), "start");
        }
        return WithText(svg, text);
    }

    /// <summary>
    /// Round ticks from 0 covering <paramref name="max"/>: steps of 1, 2 or 5 times a power of ten, at most
    /// <paramref name="most"/> intervals, whole reads only (a read is never a half).
    /// </summary>
    public static IReadOnlyList<long> ValueTicks(long max, int most = 5)
    {
        max = Math.Max(1, max);
        long step = 1;
        for (long power = 1; ; power *= 10)
        {
            var found = new long[] { 1, 2, 5 }.Select(m => m * power).FirstOrDefault(s => (max + s - 1) / s <= most);
            if (found > 0)
            {
                step = found;
                break;
            }
        }
        var count = (max + step - 1) / step;
        return [.. Enumerable.Range(0, (int)count + 1).Select(i => i * step)];
    }

    /// <summary>
    /// Every how many days a date is labelled so that labels ("12-01", about 36 px) keep 14 px apart: 1, 2, 3 days,
    /// then whole weeks and four-week months, which read as a calendar rhythm.
    /// </summary>
    public static int LabelStep(int days, double pixelsPerDay)
    {
        const double needed = 50;
        foreach (var step in new[] { 1, 2, 3, 7, 14, 28, 56, 91, 182 })
        {
            if (step * pixelsPerDay >= needed || step >= days)
            {
                return step;
            }
        }
        return 364;
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string name, int most) => name.Length <= most ? name : name[..(most - 1)] + "…";

    private static double TextWidth(string text) => text.Sum(c => c < 0x2E80 ? DigitWidth : WideCharWidth);

    private static void Text(StringBuilder into, double x, double y, string text, string anchor) =>
        into.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\">{SecurityElement.Escape(text)}</text>\n");

    /// <summary>The labels go last, over the drawing, in one group that sets their font; presentation attributes only (no style), as the CSP asks.</summary>
    private static string WithText(string svg, StringBuilder text)
    {
        var end = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
        var group = $"<g font-family=\"sans-serif\" font-size=\"{FontSize.ToString(CultureInfo.InvariantCulture)}\" fill=\"{TextColor}\">\n{text}</g>\n";
        return svg[..end] + group + svg[end..];
    }
}
