using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// Which scheduled archives to keep: the newest of each of the newest <c>daily</c> days that have one, the newest of
/// each of the newest <c>weekly</c> weeks (Monday to Sunday) that have one, and always the newest of all. Days and
/// weeks are China Standard Time, as the schedule is. Everything else may go.
/// </summary>
public static class BackupRetention
{
    public static IReadOnlySet<T> Keep<T>(IEnumerable<T> archives, Func<T, DateTimeOffset> createdAt, int daily, int weekly)
        where T : notnull
    {
        var newestFirst = archives.OrderByDescending(createdAt).ToList();
        var keep = new HashSet<T>();
        if (newestFirst.Count == 0)
        {
            return keep;
        }
        keep.Add(newestFirst[0]);
        // GroupBy keeps the order in which keys first appear and each group's order: newest day first, newest first in it.
        foreach (var day in newestFirst.GroupBy(a => Day(createdAt(a))).Take(daily))
        {
            keep.Add(day.First());
        }
        foreach (var week in newestFirst.GroupBy(a => WeekStart(Day(createdAt(a)))).Take(weekly))
        {
            keep.Add(week.First());
        }
        return keep;
    }

    private static DateOnly Day(DateTimeOffset time) => ChinaTime.Today(time.UtcDateTime);

    private static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
