using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.Curation;

/// <summary>侧栏设置: how many items each sidebar shows and which channel feeds 热点舆情 and 特色小镇.</summary>
[Authorize(Roles = NewsRoles.Curators)]
public class SidebarsModel(NewsDbContext db, AuditLog audit, ILogger<SidebarsModel> logger) : PageModel
{
    public sealed record ChannelOption(int Id, string Name, bool IsChild);

    /// <summary>Counts are text, so that "abc" gets a Chinese message rather than the binder's.</summary>
    public sealed class SidebarsInput
    {
        public string? HotVideoCount { get; set; }
        public string? HotNewsCount { get; set; }
        public string? OpinionChannelId { get; set; }
        public string? OpinionCount { get; set; }
        public string? TownChannelId { get; set; }
        public string? TownCount { get; set; }
    }

    [BindProperty] public SidebarsInput Input { get; set; } = new();

    public IReadOnlyList<ChannelOption> Channels { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadChannelsAsync(ct);
        var s = await db.SidebarSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SidebarSettings();
        Input = new SidebarsInput
        {
            HotVideoCount = Text(s.HotVideoCount), HotNewsCount = Text(s.HotNewsCount),
            OpinionChannelId = s.OpinionChannelId is { } o ? Text(o) : null, OpinionCount = Text(s.OpinionCount),
            TownChannelId = s.TownChannelId is { } t ? Text(t) : null, TownCount = Text(s.TownCount),
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadChannelsAsync(ct);
        var videos = Count(nameof(Input.HotVideoCount), Input.HotVideoCount, "热点视频", SidebarSettings.VideoCountRange);
        var news = Count(nameof(Input.HotNewsCount), Input.HotNewsCount, "热点新闻", SidebarSettings.ListCountRange);
        var opinionChannel = Channel(nameof(Input.OpinionChannelId), Input.OpinionChannelId);
        var opinion = Count(nameof(Input.OpinionCount), Input.OpinionCount, "热点舆情", SidebarSettings.ListCountRange);
        var townChannel = Channel(nameof(Input.TownChannelId), Input.TownChannelId);
        var town = Count(nameof(Input.TownCount), Input.TownCount, "特色小镇", SidebarSettings.ListCountRange);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var settings = await db.SidebarSettings.SingleOrDefaultAsync(ct);
        var before = settings ?? new SidebarSettings();
        var changes = new List<string>();
        void Note(string label, object? from, object? to)
        {
            if (!Equals(from, to))
            {
                changes.Add($"{label} {from ?? "（无）"} → {to ?? "（无）"}");
            }
        }
        Note("热点视频条数", before.HotVideoCount, videos);
        Note("热点新闻条数", before.HotNewsCount, news);
        Note("热点舆情栏目", ChannelName(before.OpinionChannelId), ChannelName(opinionChannel));
        Note("热点舆情条数", before.OpinionCount, opinion);
        Note("特色小镇栏目", ChannelName(before.TownChannelId), ChannelName(townChannel));
        Note("特色小镇条数", before.TownCount, town);
        if (changes.Count == 0 && settings is not null)
        {
            TempData["Flash"] = "侧栏设置没有变化。";
            return Redirect(Url.Page("/Admin/Curation/Sidebars")!);
        }
        if (settings is null)
        {
            settings = db.SidebarSettings.Add(new SidebarSettings()).Entity;
        }
        settings.Configure(videos, news, opinionChannel, opinion, townChannel, town);
        audit.Add(AuditActions.SidebarsChanged, "sidebars", changes.Count == 0 ? "保存侧栏设置" : string.Join("；", changes));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Sidebar settings changed by {User}: {Changes}", User.Identity?.Name, changes);
        TempData["Flash"] = "侧栏设置已保存，读者下次打开页面即可看到。";
        return Redirect(Url.Page("/Admin/Curation/Sidebars")!);
    }

    private int Count(string field, string? value, string block, (int Min, int Max) range)
    {
        if (int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= range.Min && n <= range.Max)
        {
            return n;
        }
        ModelState.AddModelError($"{nameof(Input)}.{field}", SidebarSettings.RangeMessage(block, range));
        return 0;
    }

    private int? Channel(string field, string? value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Channels.Any(c => c.Id == id))
        {
            return id;
        }
        ModelState.AddModelError($"{nameof(Input)}.{field}", "请选择一个已有的栏目。");
        return null;
    }

    private string? ChannelName(int? id) => Channels.FirstOrDefault(c => c.Id == id)?.Name;

    private async Task LoadChannelsAsync(CancellationToken ct)
    {
        ViewData["Title"] = "侧栏设置";
        ViewData["AdminSection"] = "curation";
        var channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.ParentId }).ToListAsync(ct);
        Channels = channels.Select(c => new ChannelOption(c.Id, c.Name, c.ParentId is not null)).ToList();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
