using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Operations.Status;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Pages.Admin.Status;

/// <summary>系统状态: what an administrator checks first when the site misbehaves, or before a holiday.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(SystemStatus status) : PageModel
{
    public SystemStatusReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Report = await status.ReadAsync(ct);
    }

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "未知",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes.Value / 1024.0).ToString("0.0 KB", CultureInfo.InvariantCulture),
        < 1024L * 1024 * 1024 => (bytes.Value / 1024.0 / 1024).ToString("0.0 MB", CultureInfo.InvariantCulture),
        _ => (bytes.Value / 1024.0 / 1024 / 1024).ToString("0.00 GB", CultureInfo.InvariantCulture),
    };

    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} 天 {span.Hours} 小时"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} 小时 {span.Minutes} 分"
        : $"{Math.Max(0, (int)span.TotalMinutes)} 分钟";

    public static string IndexCheck(SearchIndexCheckState check) => check.Phase switch
    {
        SearchIndexCheckPhase.NotChecked => "尚未进行",
        SearchIndexCheckPhase.Checking => "正在检查",
        SearchIndexCheckPhase.Repairing => $"正在修复（{Count(check.Before?.Indexed ?? 0)} / {Count(check.Before?.Articles ?? 0)}）",
        SearchIndexCheckPhase.Consistent => "一致",
        SearchIndexCheckPhase.Repaired when check.Repair is { } repair => $"已修复（补索引 {Count(repair.Added)} 篇，删除 {Count(repair.Removed)} 条）",
        SearchIndexCheckPhase.Repaired => "已修复",
        _ => $"失败：{check.Error}",
    };

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
