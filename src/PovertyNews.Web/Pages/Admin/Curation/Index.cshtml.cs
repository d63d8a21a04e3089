using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Curation;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages.Admin.Curation;

/// <summary>
/// 版面编排: the 头条, 热点新闻 pins and 热点视频 picks in their order, with forms to add, move and remove, and a
/// title search to find an article's number. Every form works without JavaScript; changes go through
/// <see cref="CurationService"/>, which checks the rules, audits and saves.
/// </summary>
[Authorize(Policy = AccessPolicies.Curators)]
public class IndexModel(NewsDbContext db, CurationService curation, TimeProvider time, IOptions<ReadingOptions> reading) : PageModel
{
    public const int RecentCount = 10;
    public const int SearchLimit = 20;

    public sealed record Row(CurationBlock Block, int ArticleId, string Title, ArticleStatus Status, ArticleKind Kind,
        DateTime? PublishedAt, DateTime? OfflineAt, int Position, DateTime? Until);

    public sealed record Candidate(int Id, string Title, string ChannelName, ArticleKind Kind, ArticleStatus Status, DateTime? PublishedAt);

    public sealed class PlaceInput
    {
        public CurationBlock Block { get; set; }

        /// <summary>Text, so that a wrong value gets a Chinese message rather than the binder's.</summary>
        public string? ArticleId { get; set; }
        public string? Position { get; set; }

        /// <summary>A datetime-local value in China Standard Time; empty keeps the pin until it is removed.</summary>
        public string? Until { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "article")] public string? SelectedId { get; set; }
    [BindProperty] public PlaceInput Input { get; set; } = new();

    public ILookup<CurationBlock, Row> Blocks { get; private set; } = Array.Empty<Row>().ToLookup(r => r.Block);
    public IReadOnlyList<Candidate> Candidates { get; private set; } = [];
    public Candidate? Selected { get; private set; }
    public DateTime Now { get; private set; }
    public int HotNewsDays => reading.Value.HotNewsDays;

    /// <summary>The block whose form failed: its message and typed values are shown there.</summary>
    public CurationBlock? FailedBlock { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostPlaceAsync(CancellationToken ct)
    {
        var block = Input.Block;
        if (!Enum.IsDefined(block) || !ModelState.IsValid)
        {
            return await RefuseAsync(null, Result.Refused("请选择要编排的版块。"), ct);
        }
        if (!int.TryParse(Input.ArticleId?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var articleId))
        {
            return await RefuseAsync(block, Result.Refused("请填写稿件编号（数字），或先在上方按标题搜索稿件再选用。"), ct);
        }
        int? position = null;
        if (!string.IsNullOrWhiteSpace(Input.Position))
        {
            if (!int.TryParse(Input.Position.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1)
            {
                return await RefuseAsync(block, Result.Refused("位置应为正整数（1 为最前）；留空则排在最后。"), ct);
            }
            position = p;
        }
        DateTime? until = null;
        if (block == CurationBlock.HotNews && !string.IsNullOrWhiteSpace(Input.Until)
            && (until = WorkflowSteps.ParseChinaLocal(Input.Until)) is null)
        {
            return await RefuseAsync(block, Result.Refused("请按“年-月-日 时:分”填写到期时间（北京时间）。"), ct);
        }
        return await RunAsync(block, () => curation.PlaceAsync(block, articleId, position, until, ct), ct);
    }

    public Task<IActionResult> OnPostMoveAsync(CurationBlock block, int articleId, int offset, CancellationToken ct) =>
        RunAsync(block, () => curation.MoveAsync(block, articleId, offset, ct), ct);

    public Task<IActionResult> OnPostRemoveAsync(CurationBlock block, int articleId, CancellationToken ct) =>
        RunAsync(block, () => curation.RemoveAsync(block, articleId, ct), ct);

    private async Task<IActionResult> RunAsync(CurationBlock block, Func<Task<Result>> change, CancellationToken ct)
    {
        if (!Enum.IsDefined(block) || !ModelState.IsValid)
        {
            return await RefuseAsync(null, Result.Refused("请求不完整，请刷新页面后重试。"), ct);
        }
        var result = await change();
        if (!result.Succeeded)
        {
            return await RefuseAsync(block, result, ct);
        }
        TempData.Flash(result);
        return Redirect($"{Url.Page("/Admin/Curation/Index")}#{CurationDisplay.Anchor(block)}");
    }

    /// <summary>Shows the page again, as it stands now, with the message by the block's form and the values typed.</summary>
    private async Task<IActionResult> RefuseAsync(CurationBlock? block, Result result, CancellationToken ct)
    {
        ModelState.AddErrors(result, "");
        FailedBlock = block;
        SelectedId ??= Input.ArticleId;
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "版面编排";
        ViewData["AdminSection"] = "curation";
        Now = time.GetUtcNow().UtcDateTime;
        Blocks = (await db.Placements.AsNoTracking()
            .OrderBy(p => p.Block).ThenBy(p => p.Position).ThenBy(p => p.Id)
            .Select(p => new Row(p.Block, p.ArticleId, p.Article!.Title, p.Article.Status, p.Article.Kind, p.Article.PublishedAt, p.Article.OfflineAt, p.Position, p.Until))
            .ToListAsync(ct)).ToLookup(r => r.Block);

        Query = Query?.Trim() is { Length: > 0 } q ? q[..Math.Min(q.Length, 100)] : null;
        var candidates = db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled);
        if (Query is not null)
        {
            var id = int.TryParse(Query, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            candidates = candidates.Where(a => a.Id == id || a.Title.Contains(Query));
        }
        Candidates = await candidates.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Select(a => new Candidate(a.Id, a.Title, a.Channel!.Name, a.Kind, a.Status, a.PublishedAt))
            .Take(Query is null ? RecentCount : SearchLimit).ToListAsync(ct);

        Selected = int.TryParse(SelectedId?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var selected)
            ? await db.Articles.AsNoTracking().Where(a => a.Id == selected)
                .Select(a => new Candidate(a.Id, a.Title, a.Channel!.Name, a.Kind, a.Status, a.PublishedAt)).SingleOrDefaultAsync(ct)
            : null;
    }

    /// <summary>The value typed into a block's form after a refusal, else the default.</summary>
    public string? Kept(CurationBlock block, Func<PlaceInput, string?> field, string? fallback) =>
        FailedBlock == block ? field(Input) : fallback;
}
