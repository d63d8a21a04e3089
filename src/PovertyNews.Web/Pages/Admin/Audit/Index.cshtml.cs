using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Pages.Admin.Search;

namespace PovertyNews.Web.Pages.Admin.Audit;

/// <summary>The audit log, newest first, filtered by action, user, target and CST date range.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, IOptions<AuditOptions> options, TimeProvider time) : PageModel
{
    public const int PageSize = 50;
    private const int MaxFilterLength = 256;

    public sealed record Row(long Id, DateTime At, string UserName, string Action, string? Target, string? Details, string? ClientAddress);

    public string? Action { get; private set; }
    public string? UserFilter { get; private set; }
    public string? Target { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public IReadOnlyList<string> Actions { get; private set; } = [];
    public IReadOnlyList<Row> Entries { get; private set; } = [];
    public List<string> Messages { get; } = [];
    public int PageNumber { get; private set; } = 1;
    public int TotalPages { get; private set; } = 1;
    public int TotalItems { get; private set; }

    /// <summary>The chain check, when asked for with <c>verify=1</c>.</summary>
    public AuditVerification? Verification { get; private set; }
    public int VerifyLimit => options.Value.PageVerifyLimit;

    /// <summary>The codes this version writes; actions found in the log are added to the select too.</summary>
    public static IReadOnlyList<string> KnownActions { get; } =
    [
        AuditActions.SignInSucceeded, AuditActions.SignInFailed, AuditActions.SignInLockedOut, AuditActions.SignOut,
        AuditActions.UserCreated, AuditActions.UserDisabled, AuditActions.UserEnabled, AuditActions.UserPasswordReset,
        AuditActions.UserRolesChanged, AuditActions.DeskChanged, AuditActions.SettingsChanged,
        AuditActions.ArticleCreated, AuditActions.ArticleSaved, AuditActions.ArticleRestored,
        AuditActions.PreviewLinkCreated, AuditActions.PreviewLinkRevoked,
        .. AuditActions.ChannelActions,
        .. AuditActions.TopicActions,
        .. AuditActions.CommentActions,
        AuditActions.MediaUploaded, AuditActions.MediaAltChanged, AuditActions.MediaDeleted, AuditActions.MediaPosterChanged,
        .. AuditActions.Curation,
        AuditActions.SensitiveWordAdded, AuditActions.SensitiveWordChanged, AuditActions.SensitiveWordDeleted,
        AuditActions.SensitiveWordsImported,
        .. Enum.GetValues<ReviewAction>().Where(a => a != ReviewAction.Create).Select(AuditActions.Workflow),
    ];

    public async Task OnGetAsync(string? action, string? user, string? target, string? from, string? to,
        [FromQuery(Name = "page")] string? pageNumber, string? verify, CancellationToken ct)
    {
        ViewData["Title"] = "审计日志";
        ViewData["AdminSection"] = "audit";
        var query = Filter(action, user, target, from, to);

        var present = await db.AuditEntries.AsNoTracking().Select(e => e.Action).Distinct().ToListAsync(ct);
        Actions = [.. KnownActions, .. present.Except(KnownActions).Order(StringComparer.Ordinal)];

        TotalItems = await query.CountAsync(ct);
        TotalPages = Math.Max(1, (TotalItems + PageSize - 1) / PageSize);
        PageNumber = int.TryParse(pageNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, TotalPages) : 1;
        Entries = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(e => new Row(e.Id, e.At, e.UserName, e.Action, e.Target, e.Details, e.ClientAddress))
            .ToListAsync(ct);
        if (verify == "1")
        {
            // Bounded: the newest PageVerifyLimit entries; the audit verify command checks everything.
            Verification = await AuditChain.VerifyAsync(db, options.Value.PageVerifyLimit, ct);
        }
    }

    /// <summary>
    /// The filtered entries as CSV, newest first like the page: UTF-8 with a byte-order mark (Excel reads Chinese
    /// only so), with each entry's sequence and hashes, so an inspector can match the rows to the chain. Streamed, so
    /// the whole log can be exported.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(string? action, string? user, string? target, string? from, string? to, CancellationToken ct)
    {
        var query = Filter(action, user, target, from, to);
        var stamp = ChinaTime.FromUtc(time.GetUtcNow().UtcDateTime).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"audit-{stamp}.csv",
        }.ToString();
        await Response.Body.WriteAsync(Csv.ByteOrderMark, ct);
        var csv = new System.Text.StringBuilder();
        csv.Append("编号,序号,时间（北京时间）,时间（UTC）,用户,用户编号,操作,操作代码,对象,详情,来源地址,前一哈希,哈希\r\n");
        await foreach (var e in query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            Csv.Row(csv, e.Id.ToString(CultureInfo.InvariantCulture), e.Sequence.ToString(CultureInfo.InvariantCulture),
                ChinaTime.FromUtc(e.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), AuditHash.FormatTime(e.At),
                e.UserName, e.UserId, AuditActions.DisplayName(e.Action), e.Action, e.Target, e.Details, e.ClientAddress,
                e.PreviousHash, e.Hash);
            if (csv.Length > 32_000)
            {
                await Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), ct);
                csv.Clear();
            }
        }
        await Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), ct);
        return new EmptyResult();
    }

    /// <summary>This page's filters applied to the log; sets the properties the form shows and any messages.</summary>
    private IQueryable<AuditEntry> Filter(string? action, string? user, string? target, string? from, string? to)
    {
        Action = Clean(action);
        UserFilter = Clean(user);
        Target = Clean(target);
        var fromDay = ParseDay(from, "开始日期");
        var toDay = ParseDay(to, "结束日期");
        From = fromDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = toDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var query = db.AuditEntries.AsNoTracking();
        if (Action is not null)
        {
            query = query.Where(e => e.Action == Action);
        }
        if (UserFilter is not null)
        {
            var u = UserFilter.ToLower(CultureInfo.InvariantCulture);
            query = query.Where(e => e.UserName.ToLower().Contains(u));
        }
        if (Target is not null)
        {
            var t = Target.ToLower(CultureInfo.InvariantCulture);
            query = query.Where(e => e.Target != null && e.Target.ToLower().Contains(t));
        }
        if (fromDay is { } f)
        {
            var start = ChinaTime.StartOfDayUtc(f);
            query = query.Where(e => e.At >= start);
        }
        if (toDay is { } d)
        {
            var end = ChinaTime.StartOfDayUtc(d.AddDays(1));
            query = query.Where(e => e.At < end);
        }
        if (fromDay > toDay)
        {
            Messages.Add("开始日期晚于结束日期，没有符合的记录。");
        }
        return query;
    }

    /// <summary>This page's address with the current filters and the given page number.</summary>
    public string UrlFor(int pageNumber, string? handler = null, bool verify = false)
    {
        var query = new Dictionary<string, string?>
        {
            ["action"] = Action, ["user"] = UserFilter, ["target"] = Target, ["from"] = From, ["to"] = To,
            ["page"] = pageNumber > 1 ? pageNumber.ToString(CultureInfo.InvariantCulture) : null,
            ["handler"] = handler, ["verify"] = verify ? "1" : null,
        };
        return QueryHelpers.AddQueryString(Url.Page("/Admin/Audit/Index")!, query.Where(p => p.Value is not null));
    }

    /// <summary>The CSV export of the current filters.</summary>
    public string CsvUrl => UrlFor(1, handler: "csv");

    private static string? Clean(string? value)
    {
        var text = new string((value ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return text.Length == 0 ? null : text[..Math.Min(text.Length, MaxFilterLength)];
    }

    private DateOnly? ParseDay(string? value, string label)
    {
        if (Clean(value) is not { } text)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 1900 and <= 9000)
        {
            return day;
        }
        Messages.Add($"{label}“{text}”不是有效的日期（格式如 2020-06-23），已忽略。");
        return null;
    }
}
