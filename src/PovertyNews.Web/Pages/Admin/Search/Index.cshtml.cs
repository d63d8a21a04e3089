using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;
using ArticleList = PovertyNews.Web.Pages.Admin.Articles.IndexModel;

namespace PovertyNews.Web.Pages.Admin.Search;

/// <summary>
/// The archive search for staff: every article in every state (reporters: published ones and their own), with a
/// status filter and a CSV export of the whole result set.
/// </summary>
public class IndexModel(ArticleSearch search, PortalCache portal, TimeProvider time, ArticleAccess access,
    Newsroom.BulkActions.BulkActionService bulk) : PageModel
{
    /// <summary>The 批量操作 bar over the results, for people who write.</summary>
    public BulkBarView? Bulk { get; private set; }

    public SearchOutcome Outcome { get; private set; } = new() { Form = new() };
    public SearchFormView FormView { get; private set; } = null!;

    public string CsvUrl
    {
        get
        {
            var form = Outcome.Form.Copy();
            form.Page = null;
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(form.ToUrl(Url.Page("/Admin/Search/Index")!), "handler", "csv");
        }
    }

    public async Task<IActionResult> OnGetAsync([FromQuery] SearchForm form, CancellationToken ct)
    {
        var (statuses, owner) = await ScopeAsync(form);
        Outcome = await search.RunAsync(form, SearchScope.Staff, Url.Page("/Admin/Search/Index")!, ct, statuses, owner);
        var channels = (await portal.GetAsync(ct)).Channels;
        FormView = new SearchFormView(Outcome.Form, channels, search.Options.MaxQueryLength, Url.Page("/Admin/Search/Index")!, Staff: true);
        Bulk = Outcome.Items.Count > 0 && User.ToActor().CanWrite ? new BulkBarView(await bulk.ChannelsAsync(ct)) : null;
        ViewData["Title"] = "检索";
        ViewData["AdminSection"] = "search";
        return Page();
    }

    /// <summary>The current result set as CSV: UTF-8 with a byte-order mark, which Excel needs to read Chinese.</summary>
    public async Task<IActionResult> OnGetCsvAsync([FromQuery] SearchForm form, CancellationToken ct)
    {
        var (statuses, owner) = await ScopeAsync(form);
        var (outcome, items) = await search.ExportAsync(form, statuses, owner, ct);
        if (!outcome.Searched)
        {
            return BadRequest("请先输入要检索的词。");
        }
        var csv = new StringBuilder();
        csv.Append("编号,标题,栏目,状态,来源,作者,时间,更新时间,链接\r\n");
        var origin = Common.PublicOrigin.BaseUrlOf(Request);
        foreach (var item in items)
        {
            Csv.Row(csv,
                item.Card.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                item.Card.Title, item.Card.ChannelName, EditorDisplay.StatusName(item.Status), item.Source, item.Author,
                ChinaTime.FormatDateTime(item.Card.PublishedAt), ChinaTime.FormatDateTime(item.UpdatedAt), origin + item.Card.Url);
        }
        var bytes = Csv.ByteOrderMark.Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        var stamp = ChinaTime.FromUtc(time.GetUtcNow().UtcDateTime).ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return File(bytes, "text/csv; charset=utf-8", $"search-{stamp}.csv");
    }

    /// <summary>
    /// The access policy's list scope in the index's terms: everything, or what readers find plus the person's own
    /// articles — the same articles whose review page opens for them.
    /// </summary>
    private async Task<(IReadOnlyList<ArticleStatus>? Statuses, string? Owner)> ScopeAsync(SearchForm form)
    {
        var filter = ArticleList.StatusFilters.FirstOrDefault(f => f.Key == form.Status);
        form.Status = filter.Key;
        var scope = await access.ScopeAsync(User.ToActor());
        // "All states" is every state but the recycle bin's, as in every other staff list.
        return (filter.Statuses ?? ArticleList.ListedStatuses, scope.All ? null : scope.OwnerId);
    }
}
