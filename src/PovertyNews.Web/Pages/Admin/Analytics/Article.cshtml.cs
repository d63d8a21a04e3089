using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Analytics;

namespace PovertyNews.Web.Pages.Admin.Analytics;

/// <summary>
/// One article's reads by day since it was published, with a chart and a CSV. Editors, editors-in-chief and
/// administrators see every article's; a reporter their own (<see cref="ArticleOperations.ViewReads"/>).
/// </summary>
public class ArticleModel(NewsDbContext db, ReadStatistics stats, ArticleAccess access, IAuthorizationService authorization) : PageModel
{
    public ArticleHistory History { get; private set; } = null!;
    public bool IsPublic { get; private set; }
    public IReadOnlyList<SourceReads> Sources { get; private set; } = [];

    /// <summary>Whether the 传播数据 overview is open to this person (the back link is shown only then).</summary>
    public bool SeesOverview { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await RefusalAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        ViewData["Title"] = $"阅读数据：{History.Title}";
        ViewData["AdminSection"] = "analytics";
        // Published (a report past its 下线时间 still links to its page, which says it is offline).
        IsPublic = Article.IsVisible(History.Status, History.PublishedAt, null, stats.Now);
        SeesOverview = (await authorization.AuthorizeAsync(User, AccessPolicies.Analysts)).Succeeded;
        Sources = await stats.SourcesAsync(History.Period, null, IndexModel.SourceCount, ct, id);
        return Page();
    }

    public async Task<IActionResult> OnGetChartAsync(int id, string? size, CancellationToken ct) =>
        await RefusalAsync(id, ct) ?? Content(ReadCharts.Daily(History.Days, size == "narrow"), "image/svg+xml; charset=utf-8");

    public async Task<IActionResult> OnGetCsvAsync(int id, CancellationToken ct)
    {
        if (await RefusalAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        await Csv.WriteAsync(Response, $"article-{id}-{History.Period.From:yyyyMMdd}-{History.Period.To:yyyyMMdd}.csv", ["日期", "阅读"],
            History.Days.Select(d => new[] { ReadPeriod.Format(d.Day), IndexModel.Int(d.Reads) }).ToAsyncEnumerable(), ct);
        return new EmptyResult();
    }

    /// <summary>Loads the history, or answers why not: 404 for no such article, 403 with the reason for someone else's.</summary>
    private async Task<IActionResult?> RefusalAsync(int id, CancellationToken ct)
    {
        var facts = await db.Articles.AsNoTracking().Where(a => a.Id == id).Select(ArticleFacts.Projection).FirstOrDefaultAsync(ct);
        if (facts is null)
        {
            return NotFound();
        }
        if (!await access.MayAsync(User.ToActor(), facts, ArticleOperations.ViewReads))
        {
            return this.Forbidden("记者只能查看自己稿件的阅读数据。");
        }
        History = (await stats.HistoryAsync(id, ct))!;
        return null;
    }
}
