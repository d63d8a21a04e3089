namespace PovertyNews.Web.Domain;

/// <summary>
/// How the four sidebars are filled, set by editors on the curation page: how many items each shows, and which
/// channel feeds 热点舆情 and 特色小镇. One row. Apart from <see cref="SiteSettings"/> because editors (not only
/// administrators) change it, and a save here must not make an administrator's open settings form stale.
/// </summary>
public class SidebarSettings
{
    public const int SingletonId = 1;

    /// <summary>Videos take room (a poster each), so that block is kept shorter than the text lists.</summary>
    public static readonly (int Min, int Max) VideoCountRange = (1, 8);

    public static readonly (int Min, int Max) ListCountRange = (1, 20);

    public int Id { get; set; } = SingletonId;

    /// <summary>热点视频: editor picks first, then the newest videos.</summary>
    public int HotVideoCount { get; set; } = 4;

    /// <summary>热点新闻: live pins first, then the most read of the last days, then the newest.</summary>
    public int HotNewsCount { get; set; } = 6;

    /// <summary>Channel (with its sub-channels) whose newest items fill 热点舆情; null shows the block empty.</summary>
    public int? OpinionChannelId { get; set; }
    public int OpinionCount { get; set; } = 6;

    /// <summary>Channel (with its sub-channels) whose newest items fill 特色小镇; null shows the block empty.</summary>
    public int? TownChannelId { get; set; }
    public int TownCount { get; set; } = 6;

    /// <summary>Sets every value at once, refusing counts outside their ranges (the page shows the reason by the field).</summary>
    public void Configure(int hotVideoCount, int hotNewsCount, int? opinionChannelId, int opinionCount, int? townChannelId, int townCount)
    {
        Check(hotVideoCount, VideoCountRange, "热点视频");
        Check(hotNewsCount, ListCountRange, "热点新闻");
        Check(opinionCount, ListCountRange, "热点舆情");
        Check(townCount, ListCountRange, "特色小镇");
        HotVideoCount = hotVideoCount;
        HotNewsCount = hotNewsCount;
        OpinionChannelId = opinionChannelId;
        OpinionCount = opinionCount;
        TownChannelId = townChannelId;
        TownCount = townCount;
    }

    public static string RangeMessage(string block, (int Min, int Max) range) =>
        $"{block}条数应为 {range.Min} 到 {range.Max} 之间的整数。";

    private static void Check(int value, (int Min, int Max) range, string block)
    {
        if (value < range.Min || value > range.Max)
        {
            throw new WorkflowException(RangeMessage(block, range));
        }
    }
}
