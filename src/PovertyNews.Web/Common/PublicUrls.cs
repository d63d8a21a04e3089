namespace PovertyNews.Web.Common;

/// <summary>
/// The reader-facing paths of articles, channels and tags, for code that links to them: cards, feeds, the sitemap,
/// page models. They must match the <c>@page</c> templates of Pages/Articles/Show, Pages/Channels/Show and
/// Pages/Tags/Show (a test compares them with what routing generates).
/// </summary>
/// <remarks>
/// Formatted rather than generated: cards and cached portal snapshots have no HttpContext, and routing's
/// LowercaseUrls would lower-case tag names and their percent escapes, which the tag page's published addresses
/// do not use.
/// </remarks>
public static class PublicUrls
{
    /// <summary>Matches <c>@page "/articles/{id:int}/{slug?}"</c>.</summary>
    public static string Article(int id, string slug) => $"/articles/{id}/{slug}";

    /// <summary>Matches <c>@page "/channels/{slug}"</c>.</summary>
    /// The video channel has no page of its own: its address is the video listing (<see cref="VideoChannelSlug"/>).
    public static string Channel(string slug) => slug == VideoChannelSlug ? Videos : $"/channels/{slug}";

    /// <summary>The one video listing (public contract).</summary>
    public const string Videos = "/videos";

    /// <summary>
    /// The channel of video reports (视频, as in content/channels.yml). There is one video listing, /videos; this
    /// channel's own address answers 301 to it, and every link to the channel points there.
    /// </summary>
    public const string VideoChannelSlug = "shipin";

    /// <summary>Matches the feed endpoint <c>/channels/{slug}/feed.xml</c>.</summary>
    public static string ChannelFeed(string slug) => $"/channels/{slug}/feed.xml";

    /// <summary>Matches <c>@page "/topics"</c>.</summary>
    public const string Topics = "/topics";

    /// <summary>Matches <c>@page "/topics/{slug}"</c>.</summary>
    public static string Topic(string slug) => $"/topics/{slug}";

    /// <summary>Matches the feed endpoint <c>/topics/{slug}/feed.xml</c> (named like the channels' feeds).</summary>
    public static string TopicFeed(string slug) => $"/topics/{slug}/feed.xml";

    /// <summary>Matches <c>@page "/tags/{tag}"</c>; the name is escaped as one path segment.</summary>
    public static string Tag(string name) => $"/tags/{Uri.EscapeDataString(name)}";
}
