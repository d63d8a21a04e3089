using System.Text.Json;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Caching;

/// <summary>
/// Evicts cached pages by tag. Two sources of changes end here: saves of articles, channels, tags and settings
/// (<see cref="CacheEvictionInterceptor"/>), and rebuilds of the portal snapshot, which catch everything that
/// reaches readers without a save at that moment — a scheduled article falling due, a pin running out, a
/// view-count flush reordering 热点新闻, and whatever other code announces with <see cref="PortalCache.Invalidate"/>.
/// </summary>
public sealed class ReaderCacheEviction(IOutputCacheStore store, IServiceScopeFactory scopes, ILogger<ReaderCacheEviction> logger)
    : IPortalRebuildObserver
{
    public async Task EvictAsync(IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        foreach (var tag in tags)
        {
            await store.EvictByTagAsync(tag, ct);
        }
        if (tags.Count > 0)
        {
            logger.LogDebug("Evicted cached pages tagged {Tags}", tags);
        }
    }

    /// <summary>
    /// Compares the new snapshot with the one it replaces and evicts the parts that show differently; evicts the
    /// listings of articles that fell due since the last build.
    /// </summary>
    public async Task OnRebuiltAsync(PortalRebuild rebuild, CancellationToken ct)
    {
        if (rebuild.Previous is null || rebuild.PreviousBuiltAt is not { } since)
        {
            return;
        }
        var tags = PortalDiff.TagsFor(rebuild.Previous, rebuild.Current);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            // Articles whose time came since the last build: a scheduled article turns visible with no save at that
            // instant. (Articles published now by an editor are in this range too; evicting twice costs nothing.)
            var visibleNow = Article.VisibleAt(rebuild.BuiltAt);
            var due = await db.Articles.AsNoTracking().Where(visibleNow).Where(a => a.PublishedAt > since)
                .Select(a => a.Id).ToListAsync(ct);
            // And articles whose 下线时间 came since: they leave every page that lists them, also with no save then.
            // (From the 下线时间's index alone; a withdrawn one among them is evicted for nothing.)
            due.AddRange(await db.Articles.AsNoTracking()
                .Where(a => a.OfflineAt > since && a.OfflineAt <= rebuild.BuiltAt)
                .Select(a => a.Id).ToListAsync(ct));
            if (due.Count > 0)
            {
                var changes = new CacheChanges();
                changes.Full.UnionWith(due);
                tags.UnionWith(await changes.TagsAsync(db, ct));
            }
        }
        await EvictAsync(tags, ct);
    }
}

/// <summary>Which cache tags a difference between two portal snapshots touches.</summary>
public static class PortalDiff
{
    // Settings shown only on article pages; any other setting is shown site-wide (name, tagline, footer).
    private static readonly HashSet<string> ArticleOnlySettings =
        [nameof(SiteSettings.CopyrightNotice), nameof(SiteSettings.DefaultHotline), nameof(SiteSettings.DefaultWeChat)];

    private static readonly HashSet<string> IgnoredSettings = [nameof(SiteSettings.Id), nameof(SiteSettings.Version)];

    private static readonly HashSet<string> SidebarParts =
        [nameof(PortalSnapshot.HotVideos), nameof(PortalSnapshot.HotNews), nameof(PortalSnapshot.Opinion), nameof(PortalSnapshot.Towns)];

    /// <summary>
    /// Compares part by part, by value (as JSON, so parts added to the snapshot later are compared too). A part this
    /// class does not know evicts every page with the layout.
    /// </summary>
    public static HashSet<string> TagsFor(PortalSnapshot before, PortalSnapshot after)
    {
        var tags = new HashSet<string>();
        var old = JsonSerializer.SerializeToElement(before);
        var now = JsonSerializer.SerializeToElement(after);
        foreach (var part in now.EnumerateObject())
        {
            var was = old.TryGetProperty(part.Name, out var value) ? value : default;
            if (was.ValueKind != JsonValueKind.Undefined && JsonElement.DeepEquals(was, part.Value))
            {
                continue;
            }
            switch (part.Name)
            {
                case nameof(PortalSnapshot.Settings):
                    tags.UnionWith(SettingsTags(was, part.Value));
                    break;
                case nameof(PortalSnapshot.Channels):
                case nameof(PortalSnapshot.Navigation):
                    tags.Add(CacheTags.Navigation);
                    break;
                case nameof(PortalSnapshot.OldChannelSlugs):
                    // Old slugs answer with redirects, which are not cached; the rename that made them changed Channels.
                    break;
                case nameof(PortalSnapshot.Front):
                    tags.Add(CacheTags.Front);
                    break;
                case nameof(PortalSnapshot.Topics):
                case nameof(PortalSnapshot.FrontTopics):
                    // The lists of topics: /topics, the front page's 专题 block, the sitemaps.
                    tags.UnionWith([CacheTags.Topics, CacheTags.Front, CacheTags.Sitemaps]);
                    break;
                case var name when SidebarParts.Contains(name):
                    tags.Add(CacheTags.Sidebars);
                    break;
                default:
                    tags.Add(CacheTags.Site);
                    break;
            }
        }
        return tags;
    }

    private static IEnumerable<string> SettingsTags(JsonElement before, JsonElement after)
    {
        foreach (var field in after.EnumerateObject())
        {
            if (IgnoredSettings.Contains(field.Name)
                || before.ValueKind == JsonValueKind.Object && before.TryGetProperty(field.Name, out var was) && JsonElement.DeepEquals(was, field.Value))
            {
                continue;
            }
            yield return ArticleOnlySettings.Contains(field.Name) ? CacheTags.ArticleSettings : CacheTags.Site;
        }
    }
}
