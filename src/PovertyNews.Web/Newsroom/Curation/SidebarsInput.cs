using System.Globalization;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Curation;

/// <summary>The sidebar settings form. Counts and channels are text, so that "abc" gets a Chinese message rather than the binder's.</summary>
public sealed class SidebarsInput
{
    public string? HotVideoCount { get; set; }
    public string? HotNewsCount { get; set; }
    public string? OpinionChannelId { get; set; }
    public string? OpinionCount { get; set; }
    public string? TownChannelId { get; set; }
    public string? TownCount { get; set; }

    public static SidebarsInput From(SidebarSettings s) => new()
    {
        HotVideoCount = Text(s.HotVideoCount), HotNewsCount = Text(s.HotNewsCount),
        OpinionChannelId = s.OpinionChannelId is { } o ? Text(o) : null, OpinionCount = Text(s.OpinionCount),
        TownChannelId = s.TownChannelId is { } t ? Text(t) : null, TownCount = Text(s.TownCount),
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
