using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Newsroom.Calendar;

/// <summary>Which reports a calendar shows: a channel (with its sub-channels), and only the person's desk.</summary>
public sealed record CalendarFilter(int? ChannelId, bool DeskOnly);

/// <summary>
/// A report on the calendar at its time: still to go out (<see cref="IsPending"/>: scheduled, its minute ahead) or
/// out (published, or scheduled and due). <see cref="MayReschedule"/> is the access policy's answer for 改期.
/// </summary>
public sealed record CalendarEntry(int Id, string Title, string ChannelName, DateTime At, bool IsPending, bool MayReschedule, Guid Version);

public sealed record CalendarDay(DateOnly Date, bool IsToday, bool InFocus, IReadOnlyList<CalendarEntry> Entries)
{
    public IEnumerable<CalendarEntry> Pending => Entries.Where(e => e.IsPending);

    public IEnumerable<CalendarEntry> Published => Entries.Where(e => !e.IsPending);
}

public sealed record CalendarChannel(int Id, string Name, int Level);

/// <summary>One calendar page: its days, the channels to filter by, and whether the person has a desk to narrow to.</summary>
public sealed record CalendarPage(
    CalendarPeriod Period,
    DateOnly Today,
    IReadOnlyList<CalendarDay> Days,
    IReadOnlyList<CalendarChannel> Channels,
    CalendarFilter Filter,
    bool HasDesk,
    bool Truncated,
    DateTime Now)
{
    public CalendarDay? TodayInView => Days.FirstOrDefault(d => d.IsToday);
}

/// <summary>
/// The editorial calendar's read side: scheduled and published reports per day, limited to what the access policy
/// lets the person list (<see cref="ArticleAccess.ScopeAsync"/>, as the article list and the dashboard), each
/// pending one marked with whether the person may move it. Moving goes through <see cref="WorkflowService"/>.
/// </summary>
public sealed class CalendarQuery(NewsDbContext db, ArticleAccess access, TimeProvider time)
{
    /// <summary>
    /// More reports than a month of a busy site: beyond this the page says it shows only the first ones, rather than
    /// rendering a page nobody can read.
    /// </summary>
    public const int MaxEntries = 3000;

    private sealed record Row(int Id, string Title, string ChannelName, string? OwnerId, int ChannelId, ArticleStatus Status,
        int ReviewLevel, DateTime PublishedAt, Guid Version);

    public async Task<CalendarPage> LoadAsync(Actor actor, CalendarPeriod period, CalendarFilter filter, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.Name, c.ParentId, c.SortOrder }).ToListAsync(ct);
        var tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        var options = ChannelHierarchy.Flatten(channels, c => c.Id, c => c.ParentId, c => c.SortOrder)
            .Select(c => new CalendarChannel(c.Item.Id, c.Item.Name, c.Level)).ToList();
        var desk = actor.CanWrite ? await access.WritableChannelsAsync(actor) : null;
        filter = new CalendarFilter(filter.ChannelId is { } id && tree.Contains(id) ? id : null, filter.DeskOnly && desk is not null);

        var (start, end) = (period.StartUtc, period.EndUtc);
        var query = (await access.ScopeAsync(actor)).Apply(db.Articles.AsNoTracking(), now)
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled)
                && a.PublishedAt >= start && a.PublishedAt < end);
        if (filter.ChannelId is { } channel)
        {
            var ids = tree.Subtree(channel).ToList();
            query = query.Where(a => ids.Contains(a.ChannelId));
        }
        if (filter.DeskOnly)
        {
            var ids = desk!.ToList();
            query = query.Where(a => ids.Contains(a.ChannelId));
        }
        var rows = await query.OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).Take(MaxEntries + 1)
            .Select(a => new Row(a.Id, a.Title, a.Channel!.Name, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt!.Value, a.Version))
            .ToListAsync(ct);
        var truncated = rows.Count > MaxEntries;

        var entries = new List<(DateOnly Day, CalendarEntry Entry)>();
        foreach (var row in rows.Take(MaxEntries))
        {
            var at = DateTime.SpecifyKind(row.PublishedAt, DateTimeKind.Utc);
            // Whether it has gone out, not whether it is still on the site: a 下线时间 does not matter here.
            var pending = !Article.IsVisible(row.Status, at, null, now);
            // Only a report still to go out can move; the policy decides who may (role, desk, the minute not yet come).
            var may = pending && await access.MayAsync(actor,
                new ArticleFacts(row.Id, row.OwnerId, row.ChannelId, row.Status, row.ReviewLevel, at),
                WorkflowService.OperationOf(WorkflowStep.Reschedule));
            entries.Add((ChinaTime.Today(at), new CalendarEntry(row.Id, row.Title, row.ChannelName, at, pending, may, row.Version)));
        }
        var byDay = entries.ToLookup(e => e.Day, e => e.Entry);
        var today = ChinaTime.Today(now);
        var days = period.Days.Select(d => new CalendarDay(d, d == today, period.IsInFocus(d), [.. byDay[d]])).ToList();
        return new CalendarPage(period, today, days, options, filter, desk is not null, truncated, now);
    }

    /// <summary>How many reports this person may list are still to go out today (China Standard Time), for the dashboard.</summary>
    public async Task<int> PendingTodayAsync(Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var end = ChinaTime.StartOfDayUtc(ChinaTime.Today(now).AddDays(1));
        return await (await access.ScopeAsync(actor)).Apply(db.Articles.AsNoTracking(), now)
            .CountAsync(a => a.Status == ArticleStatus.Scheduled && a.PublishedAt > now && a.PublishedAt < end, ct);
    }
}
