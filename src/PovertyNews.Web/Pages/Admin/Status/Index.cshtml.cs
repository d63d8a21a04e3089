using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Operations.Health;
using PovertyNews.Web.Operations.Metrics;
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
        SearchIndexCheckPhase.Rebuilding => "分词规则已更新，正在后台重建（重建完成前沿用旧索引）",
        SearchIndexCheckPhase.Rebuilt => "已按新的分词规则重建",
        _ => $"失败：{check.Error}",
    };

    public static string HealthText(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "正常",
        HealthStatus.Degraded => "降级",
        _ => "异常",
    };

    public static string CardClass(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "",
        HealthStatus.Degraded => " status-card--warn",
        _ => " status-card--bad",
    };

    public static string CheckName(string name) => name switch
    {
        "database" => "数据库读取",
        "integrity" => "完整性检查",
        "search-index" => "检索索引",
        "data-folder" => "数据目录可写",
        "media-folder" => "媒体目录可写",
        "disk-space" => "磁盘空间",
        "cluster" => "集群消息（Redis）",
        _ => name,
    };

    public static string Integrity(IntegrityCheckResult? last, DateTimeOffset? runningSince, bool applies = true) =>
        !applies ? "不适用（PostgreSQL 未安装 amcheck 扩展）"
        : runningSince is { } since ? $"正在检查（始于 {ChinaTime.FormatDateTime(since.UtcDateTime)}）"
        : last is null ? "尚未进行"
        : $"{ChinaTime.FormatDateTime(last.FinishedAt.UtcDateTime)}，{(last.Passed switch { true => "通过", false => "发现损坏", null => "未能完成" })}，用时 {last.Duration.TotalSeconds:0.0} 秒";

    public const int ChartHeight = 80;

    public sealed record Bar(int X, double Height, string Label);

    public sealed record RequestChart(int Width, IReadOnlyList<Bar> Bars, long Peak, long LastHour, string From, string To);

    /// <summary>One bar a minute, scaled to the busiest minute; drawn on the server, so the page needs no script.</summary>
    public static RequestChart Chart(IReadOnlyList<MinuteCount> minutes)
    {
        var peak = minutes.Count == 0 ? 0 : minutes.Max(m => m.Requests);
        var bars = minutes.Select((m, i) => new Bar(i, peak == 0 ? 0 : Math.Round(ChartHeight * (double)m.Requests / peak, 1),
            $"{ChinaTime.FromUtc(m.Minute.UtcDateTime):HH:mm} {m.Requests} 次")).ToList();
        string Time(int i) => minutes.Count == 0 ? "" : ChinaTime.FromUtc(minutes[i].Minute.UtcDateTime).ToString("HH:mm", CultureInfo.InvariantCulture);
        return new RequestChart(Math.Max(1, minutes.Count), bars, peak, minutes.TakeLast(60).Sum(m => m.Requests), Time(0), Time(minutes.Count - 1));
    }

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
