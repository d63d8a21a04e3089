namespace PovertyNews.Web.Domain;

/// <summary>
/// China Standard Time (UTC+8, no daylight saving). Times are stored in UTC and shown in CST,
/// whatever time zone the server runs in.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset FromUtc(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset);

    public static DateOnly Today(DateTime utcNow) => DateOnly.FromDateTime(FromUtc(utcNow).DateTime);

    /// <summary>The UTC instant at which the given CST calendar day starts.</summary>
    public static DateTime StartOfDayUtc(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).UtcDateTime;

    public static string FormatDate(DateTime utc) => FromUtc(utc).ToString("yyyy-MM-dd");

    public static string FormatDateTime(DateTime utc) => FromUtc(utc).ToString("yyyy-MM-dd HH:mm");

    /// <summary>ISO 8601 with the +08:00 offset, for machine-readable attributes.</summary>
    public static string FormatIso(DateTime utc) => FromUtc(utc).ToString("yyyy-MM-ddTHH:mm:sszzz");
}
