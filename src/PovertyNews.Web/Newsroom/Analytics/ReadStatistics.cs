using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Analytics;

public sealed record DayReads(DateOnly Day, long Reads);

public sealed record ChannelReads(int ChannelId, string Name, int Articles, long Reads);

/// <summary>Reads from one referring host (<see cref="Reading.ReferrerHost"/>); <see cref="Host"/> null for reads whose source was not recorded.</summary>
public sealed record SourceReads(string? Host, string Label, long Reads);

public sealed record ArticleReads(int Id, string Title, string Slug, string ChannelName, DateTime? PublishedAt, long Reads);

/// <summary>One article's reads: its facts, the total kept and its days (every day of the range, zeros included).</summary>
public sealed record ArticleHistory(int Id, string Title, string Slug, string ChannelName, ArticleStatus Status,
    DateTime? PublishedAt, long Total, ReadPeriod Period, IReadOnlyList<DayReads> Days);

/// <summary>
/// 传播数据: reads per day, channel and article, from the daily counts the read counter writes
/// (<see cref="ArticleDailyViews"/>, one row per article and China-time day). Only articles readers see now count
/// (published and due): a withdrawn report's reads leave the figures with it, as it leaves 热点新闻. Every sum and
/// group is made by the database, in LINQ that EF Core translates for SQLite and PostgreSQL alike; the rows are
/// never read into memory. A channel filter is a set of channel ids (a channel with its sub-channels).
/// </summary>
public sealed class ReadStatistics(NewsDbContext db, TimeProvider time)
{
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public DateOnly Today => ChinaTime.Today(Now);

    /// <summary>A class, not a positional record: EF Core groups and sums over member initialisers, not constructor arguments.</summary>
    private sealed class Read
    {
        public int ArticleId { get; init; }
        public int ChannelId { get; init; }
        public DateOnly Day { get; init; }
        public long Views { get; init; }
    }

    private IQueryable<Read> Reads(ReadPeriod period, IReadOnlyCollection<int>? channels)
    {
        // Published reports, also those taken offline at their 下线时间 since: their reads happened.
        var now = Now;
        var articles = db.Articles.AsNoTracking()
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt <= now);
        if (channels is not null)
        {
            articles = articles.Where(a => channels.Contains(a.ChannelId));
        }
        var (first, last) = (period.From, period.To);
        return from v in db.ArticleDailyViews.AsNoTracking()
               where v.Day >= first && v.Day <= last
               join a in articles on v.ArticleId equals a.Id
               select new Read { ArticleId = v.ArticleId, ChannelId = a.ChannelId, Day = v.Day, Views = v.Views };
    }

    /// <summary>
    /// Where the period's reads came from, most first: the first <paramref name="limit"/> hosts, the rest summed as
    /// 其他, and the reads counted before sources were recorded (or beyond the collector's limit) as 来源未记录, so the
    /// rows add up to the period's total.
    /// </summary>
    public async Task<IReadOnlyList<SourceReads>> SourcesAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, int limit,
        CancellationToken ct, int? articleId = null)
    {
        var now = Now;
        var articles = db.Articles.AsNoTracking()
            .Where(a => (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled) && a.PublishedAt <= now);
        if (channels is not null)
        {
            articles = articles.Where(a => channels.Contains(a.ChannelId));
        }
        if (articleId is { } only)
        {
            articles = db.Articles.AsNoTracking().Where(a => a.Id == only);
        }
        var (first, last) = (period.From, period.To);
        var hosts = await (from r in db.ArticleDailyReferrers.AsNoTracking()
                           where r.Day >= first && r.Day <= last
                           join a in articles on r.ArticleId equals a.Id
                           group r by r.Host into g
                           select new { Host = g.Key, Reads = g.Sum(r => r.Views) }).ToListAsync(ct);
        var total = articleId is { } id
            ? await db.ArticleDailyViews.AsNoTracking().Where(v => v.ArticleId == id && v.Day >= first && v.Day <= last).SumAsync(v => v.Views, ct)
            : await TotalAsync(period, channels, ct);
        var ordered = hosts.OrderByDescending(h => h.Reads).ThenBy(h => h.Host, StringComparer.Ordinal).ToList();
        var rows = ordered.Take(limit).Select(h => new SourceReads(h.Host, ReferrerNames.Label(h.Host), h.Reads)).ToList();
        var rest = ordered.Skip(limit).Sum(h => h.Reads);
        if (rest > 0)
        {
            rows.Add(new SourceReads(null, $"其他 {ordered.Count - limit} 个来源", rest));
        }
        var unrecorded = total - ordered.Sum(h => h.Reads);
        if (unrecorded > 0)
        {
            rows.Add(new SourceReads(null, "来源未记录", unrecorded));
        }
        return rows;
    }

    public Task<long> TotalAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, CancellationToken ct) =>
        Reads(period, channels).SumAsync(r => r.Views, ct);

    /// <summary>Every day of the period in order, a day without reads as 0 (a chart and a table must not skip it).</summary>
    public async Task<IReadOnlyList<DayReads>> DailyAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, CancellationToken ct)
    {
        var sums = await Reads(period, channels).GroupBy(r => r.Day)
            .Select(g => new { Day = g.Key, Reads = g.Sum(r => r.Views) })
            .ToDictionaryAsync(x => x.Day, x => x.Reads, ct);
        return [.. period.EachDay().Select(d => new DayReads(d, sums.GetValueOrDefault(d)))];
    }

    /// <summary>Channels with reads in the period, most read first; each article counts under its own channel.</summary>
    public async Task<IReadOnlyList<ChannelReads>> ByChannelAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, CancellationToken ct)
    {
        var sums = await Reads(period, channels).GroupBy(r => r.ChannelId)
            .Select(g => new { ChannelId = g.Key, Articles = g.Select(r => r.ArticleId).Distinct().Count(), Reads = g.Sum(r => r.Views) })
            .ToListAsync(ct);
        var ids = sums.Select(s => s.ChannelId).ToList();
        var names = await db.Channels.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return [.. sums.Select(s => new ChannelReads(s.ChannelId, names.GetValueOrDefault(s.ChannelId, "?"), s.Articles, s.Reads))
            .OrderByDescending(c => c.Reads).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Articles with reads in the period, most read first (ties: the newer article first, as in 热点新闻); the first
    /// <paramref name="limit"/>, or all of them for an export, streamed.
    /// </summary>
    public IAsyncEnumerable<ArticleReads> ArticlesAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, int? limit = null)
    {
        var sums = Reads(period, channels).GroupBy(r => r.ArticleId).Select(g => new { ArticleId = g.Key, Reads = g.Sum(r => r.Views) });
        var rows = from s in sums
                   join a in db.Articles.AsNoTracking() on s.ArticleId equals a.Id
                   orderby s.Reads descending, a.Id descending
                   select new ArticleReads(a.Id, a.Title, a.Slug, a.Channel!.Name, a.PublishedAt, s.Reads);
        return (limit is { } n ? rows.Take(n) : rows).AsAsyncEnumerable();
    }

    public async Task<List<ArticleReads>> TopArticlesAsync(ReadPeriod period, IReadOnlyCollection<int>? channels, int limit, CancellationToken ct)
    {
        var list = new List<ArticleReads>(limit);
        await foreach (var row in ArticlesAsync(period, channels, limit).WithCancellation(ct))
        {
            list.Add(row);
        }
        return list;
    }

    /// <summary>
    /// One article's reads by day, from the day it was published to today, the last <see cref="ReadPeriod.MaxDays"/>
    /// days at most; null when there is no such article. Days before the site recorded any read are left out: for a
    /// report older than the counting they would be a flat line of unknowns drawn as zeros. Who may see it is the
    /// caller's question (<see cref="Access.ArticleOperations.ViewReads"/>); withdrawn articles keep their history here.
    /// </summary>
    public async Task<ArticleHistory?> HistoryAsync(int id, CancellationToken ct)
    {
        var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Title, a.Slug, Channel = a.Channel!.Name, a.Status, a.PublishedAt })
            .FirstOrDefaultAsync(ct);
        if (article is null)
        {
            return null;
        }
        var reads = db.ArticleDailyViews.AsNoTracking().Where(v => v.ArticleId == id);
        var total = await reads.SumAsync(v => v.Views, ct);
        var firstRead = await reads.OrderBy(v => v.Day).Select(v => (DateOnly?)v.Day).FirstOrDefaultAsync(ct);
        var siteFirstRead = await db.ArticleDailyViews.AsNoTracking().OrderBy(v => v.Day).Select(v => (DateOnly?)v.Day).FirstOrDefaultAsync(ct);
        var today = Today;
        var published = article.PublishedAt is { } p ? ChinaTime.Today(p) : today;
        var start = siteFirstRead is { } counting && counting > published ? counting : published;
        // Read before its publication day (published again later): from its first read, so no read is left out.
        start = firstRead is { } own && own < start ? own : start;
        start = start > today ? today : start;
        if (today.DayNumber - start.DayNumber + 1 > ReadPeriod.MaxDays)
        {
            start = today.AddDays(1 - ReadPeriod.MaxDays);
        }
        var period = new ReadPeriod(ReadPeriod.Custom, start, today);
        var byDay = await reads.Where(v => v.Day >= start && v.Day <= today)
            .ToDictionaryAsync(v => v.Day, v => v.Views, ct);
        var days = period.EachDay().Select(d => new DayReads(d, byDay.GetValueOrDefault(d))).ToList();
        return new ArticleHistory(article.Id, article.Title, article.Slug, article.Channel, article.Status, article.PublishedAt,
            total, period, days);
    }

    /// <summary>The channel ids a filter on <paramref name="channelId"/> covers (it and its sub-channels); null when there is no such channel.</summary>
    public async Task<IReadOnlyCollection<int>?> ChannelSubtreeAsync(int channelId, CancellationToken ct)
    {
        var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(ct);
        var tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        return tree.Contains(channelId) ? tree.Subtree(channelId) : null;
    }
}
