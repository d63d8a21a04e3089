using System.Globalization;

namespace PovertyNews.Web.Newsroom.Analytics;

/// <summary>
/// A range of whole days in China Standard Time (the days <see cref="Domain.ArticleDailyViews"/> are kept in), both
/// ends included. <see cref="Range"/> is the key the period selector sent, so a page can mark it and link to it.
/// </summary>
public sealed record ReadPeriod(string Range, DateOnly From, DateOnly To)
{
    public const string Yesterday = "yesterday";
    public const string Last7Days = "7d";
    public const string Last30Days = "30d";
    public const string Custom = "custom";

    /// <summary>A leap year and no more: enough for "this year against last", small enough for one chart and one query.</summary>
    public const int MaxDays = 366;

    /// <summary>The presets in the selector's order, with their labels.</summary>
    public static IReadOnlyList<(string Key, string Label)> Ranges { get; } =
        [(Yesterday, "昨天"), (Last7Days, "最近 7 天"), (Last30Days, "最近 30 天"), (Custom, "自定义")];

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length just before this one, for "against the previous period".</summary>
    public ReadPeriod Previous => new(Range, From.AddDays(-Days), From.AddDays(-1));

    public IEnumerable<DateOnly> EachDay()
    {
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    public string Label => Days == 1 ? Format(From) : $"{Format(From)} 至 {Format(To)}";

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A preset ends yesterday, not today: today is not over, and a morning's few hours against a whole previous day
    /// would always read as a fall. A custom range may include today.
    /// </summary>
    public static ReadPeriod Preset(string range, DateOnly today) => range switch
    {
        Yesterday => new(range, today.AddDays(-1), today.AddDays(-1)),
        Last30Days => new(range, today.AddDays(-30), today.AddDays(-1)),
        _ => new(Last7Days, today.AddDays(-7), today.AddDays(-1)),
    };

    /// <summary>
    /// The selector's input as a period, or the reasons it is not one, in Chinese for the page. No range and no dates
    /// is the default (最近 7 天); dates without a range are a custom range.
    /// </summary>
    public static ReadPeriod? Parse(string? range, string? from, string? to, DateOnly today, List<string> errors)
    {
        range = string.IsNullOrWhiteSpace(range) ? null : range.Trim();
        var hasDates = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        range ??= hasDates ? Custom : Last7Days;
        if (range is Yesterday or Last7Days or Last30Days)
        {
            return Preset(range, today);
        }
        if (range != Custom)
        {
            errors.Add($"时间范围“{Shorten(range)}”无效，请选择昨天、最近 7 天、最近 30 天或自定义。");
            return null;
        }
        var start = ParseDay(from, "开始日期", errors);
        var end = ParseDay(to, "结束日期", errors);
        if (start is not { } f || end is not { } t)
        {
            return null;
        }
        if (t < f)
        {
            errors.Add("结束日期不能早于开始日期。");
        }
        else if (t.DayNumber - f.DayNumber + 1 > MaxDays)
        {
            errors.Add($"时间范围最长 {MaxDays} 天，所选为 {t.DayNumber - f.DayNumber + 1} 天。");
        }
        if (t > today)
        {
            errors.Add($"结束日期不能晚于今天（北京时间 {Format(today)}）。");
        }
        return errors.Count == 0 ? new ReadPeriod(Custom, f, t) : null;
    }

    private static DateOnly? ParseDay(string? value, string label, List<string> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add($"自定义时间范围需要{label}。");
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 2000 and <= 9000)
        {
            return day;
        }
        errors.Add($"{label}“{Shorten(text)}”不是有效的日期（格式如 2026-12-01）。");
        return null;
    }

    /// <summary>Echoed input is cut short: a message must not carry a kilobyte of whatever was typed into the address.</summary>
    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    /// <summary>The change against the previous period as a fraction (0.25 = +25 %); null when there was nothing to compare with.</summary>
    public static double? Change(long current, long previous) =>
        previous == 0 ? null : (current - previous) / (double)previous;

    /// <summary>"+25.0%", "−3.2%" (a real minus sign), "持平"; "—" without a previous figure.</summary>
    public static string FormatChange(double? change) => change switch
    {
        null => "—",
        0 => "持平",
        > 0 => "+" + (change.Value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        _ => "−" + (-change.Value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
    };
}
