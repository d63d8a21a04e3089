using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Analytics;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin.Analytics;

/// <summary>
/// 传播数据: reads of a period (and against the one before it), by day, by channel and by article, with charts and
/// CSV exports of each table. Bad period input answers 400 with the reason, in the page, the CSV or the chart alike.
/// </summary>
[Authorize(Policy = AccessPolicies.Analysts)]
public class IndexModel(ReadStatistics stats, ArticleEditor editor) : PageModel
{
    public const int TopCount = 50;
    public const int SourceCount = 20;

    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }

    public ReadPeriod? Period { get; private set; }
    public int? ChannelId { get; private set; }
    public List<string> Messages { get; } = [];
    public IReadOnlyList<ChannelOption> Channels { get; private set; } = [];
    public long Total { get; private set; }
    public long PreviousTotal { get; private set; }
    public IReadOnlyList<DayReads> Days { get; private set; } = [];
    public IReadOnlyList<ChannelReads> ByChannel { get; private set; } = [];
    public IReadOnlyList<ArticleReads> Top { get; private set; } = [];
    public IReadOnlyList<SourceReads> Sources { get; private set; } = [];

    private IReadOnlyCollection<int>? _channels;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "传播数据";
        ViewData["AdminSection"] = "analytics";
        Channels = await editor.ChannelOptionsAsync(ct);
        if (!await ResolveAsync(ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var period = Period!;
        Total = await stats.TotalAsync(period, _channels, ct);
        PreviousTotal = await stats.TotalAsync(period.Previous, _channels, ct);
        Days = await stats.DailyAsync(period, _channels, ct);
        ByChannel = await stats.ByChannelAsync(period, _channels, ct);
        Top = await stats.TopArticlesAsync(period, _channels, TopCount, ct);
        Sources = await stats.SourcesAsync(period, _channels, SourceCount, ct);
        return Page();
    }

    /// <summary>One table of the page as CSV: <c>days</c>, <c>channels</c>, <c>sources</c>, or every article read in the period (<c>articles</c>).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return BadInput();
        }
        var period = Period!;
        var name = $"{table}-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv";
        switch (table)
        {
            case "days":
                var days = await stats.DailyAsync(period, _channels, ct);
                await Csv.WriteAsync(Response, name, ["日期", "阅读"],
                    days.Select(d => new[] { ReadPeriod.Format(d.Day), Int(d.Reads) }).ToAsyncEnumerable(), ct);
                break;
            case "channels":
                var channels = await stats.ByChannelAsync(period, _channels, ct);
                var total = channels.Sum(c => c.Reads);
                await Csv.WriteAsync(Response, name, ["栏目", "栏目编号", "有阅读的稿件", "阅读", "占比"],
                    channels.Select(c => new[] { c.Name, Int(c.ChannelId), Int(c.Articles), Int(c.Reads), Share(c.Reads, total) }).ToAsyncEnumerable(), ct);
                break;
            case "articles":
                var origin = PublicOrigin.BaseUrlOf(Request);
                var rank = 0;
                await Csv.WriteAsync(Response, name, ["名次", "稿件编号", "标题", "栏目", "发布时间（北京时间）", "阅读", "网址"],
                    stats.ArticlesAsync(period, _channels).Select(a => new[]
                    {
                        Int(++rank), Int(a.Id), a.Title, a.ChannelName, a.PublishedAt is { } at ? ChinaTime.FormatDateTime(at) : "",
                        Int(a.Reads), origin + PublicUrls.Article(a.Id, a.Slug),
                    }), ct);
                break;
            case "sources":
                // Every host, not the page's first 20: the file is for working the numbers further.
                var sources = await stats.SourcesAsync(period, _channels, int.MaxValue, ct);
                var sum = sources.Sum(x => x.Reads);
                await Csv.WriteAsync(Response, name, ["来源", "主机名", "阅读", "占比"],
                    sources.Select(x => new[] { x.Label, x.Host ?? "", Int(x.Reads), Share(x.Reads, sum) }).ToAsyncEnumerable(), ct);
                break;
            default:
                return BadInput("没有这张表：可导出 days、channels、sources 或 articles。");
        }
        return new EmptyResult();
    }

    /// <summary>A chart as SVG: <c>daily</c> or <c>channels</c>, <c>size=narrow</c> for a phone.</summary>
    public async Task<IActionResult> OnGetChartAsync(string? chart, string? size, CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return BadInput();
        }
        var narrow = size == "narrow";
        var svg = chart switch
        {
            "daily" => ReadCharts.Daily(await stats.DailyAsync(Period!, _channels, ct), narrow),
            "channels" => ReadCharts.Channels(await stats.ByChannelAsync(Period!, _channels, ct), narrow),
            _ => null,
        };
        return svg is null ? BadInput("没有这张图：可选 daily 或 channels。") : Content(svg, "image/svg+xml; charset=utf-8");
    }

    /// <summary>Reads the period and channel from the query; false (with <see cref="Messages"/>) when they are not valid.</summary>
    private async Task<bool> ResolveAsync(CancellationToken ct)
    {
        Period = ReadPeriod.Parse(Range, From, To, stats.Today, Messages);
        if (!string.IsNullOrWhiteSpace(Channel))
        {
            if (int.TryParse(Channel, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && await stats.ChannelSubtreeAsync(id, ct) is { } subtree)
            {
                (ChannelId, _channels) = (id, subtree);
            }
            else
            {
                Messages.Add("所选栏目不存在（可能已被删除），请重新选择。");
            }
        }
        if (Messages.Count > 0)
        {
            Period = null; // the page shows the form and the reasons, no figures
        }
        return Messages.Count == 0;
    }

    private ContentResult BadInput(string? message = null) => new()
    {
        Content = message ?? string.Join("\n", Messages),
        ContentType = "text/plain; charset=utf-8",
        StatusCode = StatusCodes.Status400BadRequest,
    };

    /// <summary>This page's address (or one of its handlers') with the current period and channel.</summary>
    public string UrlFor(string? handler = null, params (string Key, string Value)[] extra)
    {
        var query = new Dictionary<string, string?> { ["handler"] = handler, ["channel"] = ChannelId?.ToString(CultureInfo.InvariantCulture) };
        if (Period is { } p)
        {
            query["range"] = p.Range;
            (query["from"], query["to"]) = p.Range == ReadPeriod.Custom ? (ReadPeriod.Format(p.From), ReadPeriod.Format(p.To)) : (null, null);
        }
        foreach (var (key, value) in extra)
        {
            query[key] = value;
        }
        return QueryHelpers.AddQueryString(Url.Page("/Admin/Analytics/Index")!, query.Where(q => q.Value is not null));
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Share(long part, long whole) =>
        whole == 0 ? "0.0%" : (part * 100.0 / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
