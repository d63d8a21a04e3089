using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Curation;

/// <summary>
/// 侧栏设置: how many items each sidebar shows and which channel feeds 热点舆情 and 特色小镇. Checks the form,
/// saves the single row with an audit entry naming every change, and logs it.
/// </summary>
public sealed class SidebarSettingsService(NewsDbContext db, AuditLog audit, ILogger<SidebarSettingsService> logger)
{
    public const string ChannelMessage = "请选择一个已有的栏目。";

    public async Task<Result> SaveAsync(SidebarsInput input, string? userName, CancellationToken ct)
    {
        var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var errors = new List<InputError>();
        var videos = Count(errors, nameof(input.HotVideoCount), input.HotVideoCount, "热点视频", SidebarSettings.VideoCountRange);
        var news = Count(errors, nameof(input.HotNewsCount), input.HotNewsCount, "热点新闻", SidebarSettings.ListCountRange);
        var opinionChannel = Channel(errors, nameof(input.OpinionChannelId), input.OpinionChannelId, channels.Keys);
        var opinion = Count(errors, nameof(input.OpinionCount), input.OpinionCount, "热点舆情", SidebarSettings.ListCountRange);
        var townChannel = Channel(errors, nameof(input.TownChannelId), input.TownChannelId, channels.Keys);
        var town = Count(errors, nameof(input.TownCount), input.TownCount, "特色小镇", SidebarSettings.ListCountRange);
        if (errors.Count > 0)
        {
            return Result.Refused([.. errors]);
        }

        var settings = await db.SidebarSettings.SingleOrDefaultAsync(ct);
        var before = settings ?? new SidebarSettings();
        string? Name(int? id) => id is { } i ? channels.GetValueOrDefault(i) : null;
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
        Note("热点舆情栏目", Name(before.OpinionChannelId), Name(opinionChannel));
        Note("热点舆情条数", before.OpinionCount, opinion);
        Note("特色小镇栏目", Name(before.TownChannelId), Name(townChannel));
        Note("特色小镇条数", before.TownCount, town);
        if (changes.Count == 0 && settings is not null)
        {
            return Result.Unchanged("侧栏设置没有变化。");
        }
        settings ??= db.SidebarSettings.Add(new SidebarSettings()).Entity;
        settings.Configure(videos, news, opinionChannel, opinion, townChannel, town);
        audit.Add(AuditActions.SidebarsChanged, "sidebars", changes.Count == 0 ? "保存侧栏设置" : string.Join("；", changes));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Sidebar settings changed by {User}: {Changes}", userName, changes);
        return Result.Done("侧栏设置已保存，读者下次打开页面即可看到。");
    }

    private static int Count(List<InputError> errors, string field, string? value, string block, (int Min, int Max) range)
    {
        if (int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= range.Min && n <= range.Max)
        {
            return n;
        }
        errors.Add(new(field, SidebarSettings.RangeMessage(block, range)));
        return 0;
    }

    private static int? Channel(List<InputError> errors, string field, string? value, IEnumerable<int> channels)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && channels.Contains(id))
        {
            return id;
        }
        errors.Add(new(field, ChannelMessage));
        return null;
    }
}
