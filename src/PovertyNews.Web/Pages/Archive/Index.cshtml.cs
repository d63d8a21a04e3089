using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Archive;

/// <summary>往期回顾: years, the months of a year with their counts, and a month's reports by day (all in CST).</summary>
[ReaderCache("page", Tags = [CacheTags.Archive])]
public class IndexModel(NewsDbContext db, TimeProvider time) : PageModel
{
    public const int MonthPageSize = 50;

    public int? Year { get; private set; }
    public int? Month { get; private set; }
    public IReadOnlyList<(int Year, int Count)> Years { get; private set; } = [];
    public IReadOnlyList<(int Month, int Count)> Months { get; private set; } = [];
    public IReadOnlyList<ArticleCard> Items { get; private set; } = [];
    public Paging? Paging { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int? year, [FromRoute] int? month, CancellationToken ct)
    {
        var pageNumber = ReaderQuery.Page(Request.Query);
        if (year is < 1990 or > 2200 || month is < 1 or > 12)
        {
            return NotFound();
        }
        var visible = db.Articles.AsNoTracking().Where(Article.VisibleAt(time.GetUtcNow().UtcDateTime));
        var cst = ChinaTime.Offset.TotalHours;

        var years = await visible.GroupBy(a => a.PublishedAt!.Value.AddHours(cst).Year)
            .Select(g => new { Year = g.Key, Count = g.Count() })
            .OrderByDescending(x => x.Year).ToListAsync(ct);
        Years = years.Select(y => (y.Year, y.Count)).ToList();
        Year = year;
        ViewData["Nav"] = "archive";
        Month = month;

        if (year is null)
        {
            PageMeta.Set(ViewData, "往期回顾", "按年份浏览全部报道", "/archive");
            return Page();
        }
        var (from, to) = Range(year.Value, month);
        if (month is not null)
        {
            HttpContext.TagOutput(CacheTags.ArchiveMonth(year.Value, month.Value));
        }
        var inRange = visible.Where(a => a.PublishedAt >= from && a.PublishedAt < to);
        if (month is null)
        {
            var months = await inRange.GroupBy(a => a.PublishedAt!.Value.AddHours(cst).Month)
                .Select(g => new { Month = g.Key, Count = g.Count() }).ToListAsync(ct);
            Months = months.OrderBy(m => m.Month).Select(m => (m.Month, m.Count)).ToList();
            PageMeta.Set(ViewData, $"{year}年报道", $"{year}年各月报道", $"/archive/{year}");
            return Page();
        }

        if (await inRange.NewestFirstPageAsync(pageNumber, MonthPageSize, $"/archive/{year}/{month}", ct) is not { } result)
        {
            return NotFound();
        }
        (Paging, Items) = result;
        var monthsOfYear = await visible.Where(a => a.PublishedAt >= Range(year.Value, null).From && a.PublishedAt < Range(year.Value, null).To)
            .GroupBy(a => a.PublishedAt!.Value.AddHours(cst).Month)
            .Select(g => new { Month = g.Key, Count = g.Count() }).ToListAsync(ct);
        Months = monthsOfYear.OrderBy(m => m.Month).Select(m => (m.Month, m.Count)).ToList();
        PageMeta.Set(ViewData, $"{year}年{month}月报道", $"{year}年{month}月的全部报道", Paging.UrlFor(Paging.Page));
        return Page();
    }

    private static (DateTime From, DateTime To) Range(int year, int? month)
    {
        var start = new DateOnly(year, month ?? 1, 1);
        var end = month is null ? start.AddYears(1) : start.AddMonths(1);
        return (ChinaTime.StartOfDayUtc(start), ChinaTime.StartOfDayUtc(end));
    }
}
