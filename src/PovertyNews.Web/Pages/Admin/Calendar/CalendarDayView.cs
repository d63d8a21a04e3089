using PovertyNews.Web.Newsroom.Calendar;

namespace PovertyNews.Web.Pages.Admin.Calendar;

/// <summary>
/// One day as the calendar shows it: its reports to go out, and its published ones, the first
/// <paramref name="PublishedLimit"/> of them in a month's small cell (null: all, as in the week view).
/// </summary>
public sealed record CalendarDayView(CalendarDay Day, int? PublishedLimit, IndexModel Page)
{
    /// <summary>What the day lists, by time: every pending report (those are what an editor acts on) and the published ones that fit.</summary>
    public IReadOnlyList<CalendarEntry> Shown =>
        [.. Day.Pending.Concat(PublishedLimit is { } limit ? Day.Published.Take(limit) : Day.Published).OrderBy(e => e.At).ThenBy(e => e.Id)];

    public int HiddenPublished => PublishedLimit is { } limit ? Math.Max(0, Day.Published.Count() - limit) : 0;
}
