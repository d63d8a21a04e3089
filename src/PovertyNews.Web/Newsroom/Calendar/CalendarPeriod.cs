using System.Globalization;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Newsroom.Calendar;

public enum CalendarView
{
    Month,
    Week,
}

/// <summary>
/// The days a calendar page shows, in China Standard Time: a month as whole weeks (Monday to Sunday, as Chinese
/// calendars lay them out, so the grid starts and ends with days of the neighbouring months), or one week.
/// </summary>
public sealed record CalendarPeriod
{
    private CalendarPeriod(CalendarView view, DateOnly anchor)
    {
        View = view;
        Anchor = view == CalendarView.Month ? new DateOnly(anchor.Year, anchor.Month, 1) : StartOfWeek(anchor);
        First = StartOfWeek(Anchor);
        Last = view == CalendarView.Month ? StartOfWeek(Anchor.AddMonths(1).AddDays(-1)).AddDays(6) : First.AddDays(6);
    }

    public CalendarView View { get; }

    /// <summary>The first day of the month, or the Monday of the week: what the address names.</summary>
    public DateOnly Anchor { get; }

    public DateOnly First { get; }

    public DateOnly Last { get; }

    public DateOnly Previous => View == CalendarView.Month ? Anchor.AddMonths(-1) : Anchor.AddDays(-7);

    public DateOnly Next => View == CalendarView.Month ? Anchor.AddMonths(1) : Anchor.AddDays(7);

    /// <summary>The instants the period covers, for the query: [StartUtc, EndUtc).</summary>
    public DateTime StartUtc => ChinaTime.StartOfDayUtc(First);

    public DateTime EndUtc => ChinaTime.StartOfDayUtc(Last.AddDays(1));

    public IEnumerable<DateOnly> Days => Enumerable.Range(0, Last.DayNumber - First.DayNumber + 1).Select(First.AddDays);

    /// <summary>A day of the month shown (the grid's days of the neighbouring months are not); every day of a week.</summary>
    public bool IsInFocus(DateOnly day) => View == CalendarView.Week || (day.Year == Anchor.Year && day.Month == Anchor.Month);

    /// <summary>
    /// What the address asks for: <c>view=week</c> or the month (anything else), <c>date</c> as yyyy-MM-dd. A date that
    /// is missing, unreadable or outside the years a schedule may use means today, as a calendar opened without one.
    /// </summary>
    public static CalendarPeriod Parse(string? view, string? date, DateOnly today)
    {
        var kind = string.Equals(view, "week", StringComparison.OrdinalIgnoreCase) ? CalendarView.Week : CalendarView.Month;
        var day = DateOnly.TryParseExact(date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && parsed.Year is > WorkflowSteps.MinYear and < WorkflowSteps.MaxYear ? parsed : today;
        return new CalendarPeriod(kind, day);
    }

    public static CalendarPeriod Of(CalendarView view, DateOnly day) => new(view, day);

    public static DateOnly StartOfWeek(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>"2026年12月", or a week as "2026年12月7日—13日", "2026年11月30日—12月6日", "2026年12月28日—2027年1月3日".</summary>
    public string Label
    {
        get
        {
            if (View == CalendarView.Month)
            {
                return $"{Anchor.Year}年{Anchor.Month}月";
            }
            var end = Last.Year != First.Year ? $"{Last.Year}年{Last.Month}月{Last.Day}日"
                : Last.Month != First.Month ? $"{Last.Month}月{Last.Day}日"
                : $"{Last.Day}日";
            return $"{First.Year}年{First.Month}月{First.Day}日—{end}";
        }
    }

    public static readonly IReadOnlyList<string> WeekdayNames = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];

    public static string WeekdayName(DateOnly day) => WeekdayNames[((int)day.DayOfWeek + 6) % 7];

    /// <summary>"12月7日 星期一": a day named in full, for headings and screen readers.</summary>
    public static string DayLabel(DateOnly day) => $"{day.Month}月{day.Day}日 {WeekdayName(day)}";

    /// <summary>The value of the <c>date</c> parameter.</summary>
    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
