using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Pages.Admin.Audit;

/// <summary>The audit log, newest first, filtered by action, user, target and CST date range.</summary>
[Authorize(Roles = NewsRoles.Administrator)]
public class IndexModel(NewsDbContext db) : PageModel
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

    /// <summary>The codes this version writes; actions found in the log are added to the select too.</summary>
    public static IReadOnlyList<string> KnownActions { get; } =
    [
        AuditActions.SignInSucceeded, AuditActions.SignInFailed, AuditActions.SignInLockedOut, AuditActions.SignOut,
        AuditActions.UserCreated, AuditActions.UserDisabled, AuditActions.UserEnabled, AuditActions.UserPasswordReset,
        AuditActions.UserRolesChanged, AuditActions.SettingsChanged,
        AuditActions.ArticleCreated, AuditActions.ArticleSaved, AuditActions.ArticleRestored,
        .. AuditActions.ChannelActions,
        AuditActions.MediaUploaded, AuditActions.MediaAltChanged, AuditActions.MediaDeleted,
        .. AuditActions.Curation,
        AuditActions.SensitiveWordAdded, AuditActions.SensitiveWordChanged, AuditActions.SensitiveWordDeleted,
        AuditActions.SensitiveWordsImported,
        .. Enum.GetValues<ReviewAction>().Where(a => a != ReviewAction.Create).Select(AuditActions.Workflow),
    ];

    public async Task OnGetAsync(string? action, string? user, string? target, string? from, string? to,
        [FromQuery(Name = "page")] string? pageNumber, CancellationToken ct)
    {
        ViewData["Title"] = "审计日志";
        ViewData["AdminSection"] = "audit";
        Action = Clean(action);
        UserFilter = Clean(user);
        Target = Clean(target);
        var fromDay = ParseDay(from, "开始日期");
        var toDay = ParseDay(to, "结束日期");
        From = fromDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = toDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var present = await db.AuditEntries.AsNoTracking().Select(e => e.Action).Distinct().ToListAsync(ct);
        Actions = [.. KnownActions, .. present.Except(KnownActions).Order(StringComparer.Ordinal)];

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

        TotalItems = await query.CountAsync(ct);
        TotalPages = Math.Max(1, (TotalItems + PageSize - 1) / PageSize);
        PageNumber = int.TryParse(pageNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, TotalPages) : 1;
        Entries = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(e => new Row(e.Id, e.At, e.UserName, e.Action, e.Target, e.Details, e.ClientAddress))
            .ToListAsync(ct);
    }

    /// <summary>This page's address with the current filters and the given page number.</summary>
    public string UrlFor(int pageNumber)
    {
        var query = new Dictionary<string, string?>
        {
            ["action"] = Action, ["user"] = UserFilter, ["target"] = Target, ["from"] = From, ["to"] = To,
            ["page"] = pageNumber > 1 ? pageNumber.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString(Url.Page("/Admin/Audit/Index")!, query.Where(p => p.Value is not null));
    }

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
