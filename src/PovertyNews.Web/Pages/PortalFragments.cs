using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using PovertyNews.Web.Reading;

namespace PovertyNews.Web.Pages;

/// <summary>
/// The HTML every reader page repeats — the four sidebars, the channel navigation — rendered once per portal
/// snapshot and reused by every page until the snapshot is replaced. The snapshot is rebuilt after each change that
/// can show in these parts (and at least every <see cref="PortalCache.MaxAge"/>), and the fragments go with the
/// snapshot they were rendered from, so a page never shows parts older than the data it was built from.
/// </summary>
/// <remarks>
/// Rendering them took a good part of an uncached page's time: dozens of links, each through the tag helpers and
/// the link generator. A fragment must not depend on the request beyond its key (the navigation's current item is
/// in the key); the partials it renders read nothing else.
/// </remarks>
public sealed class PortalFragments(HtmlEncoder encoder)
{
    private readonly ConditionalWeakTable<PortalSnapshot, ConcurrentDictionary<string, IHtmlContent>> _bySnapshot = new();

    public async Task<IHtmlContent> GetAsync(PortalSnapshot snapshot, string key, Func<Task<IHtmlContent>> render)
    {
        var parts = _bySnapshot.GetValue(snapshot, static _ => new ConcurrentDictionary<string, IHtmlContent>(StringComparer.Ordinal));
        if (parts.TryGetValue(key, out var html))
        {
            return html;
        }
        var content = await render();
        await using var writer = new StringWriter();
        // The app's encoder: it leaves Chinese as characters, as the rest of the page has them.
        content.WriteTo(writer, encoder);
        return parts.GetOrAdd(key, new HtmlString(writer.ToString()));
    }
}

/// <summary>What the navigation partial shows: the snapshot's channels, with the current one marked.</summary>
public sealed record NavigationView(PortalSnapshot Portal, string? Current, bool IsHome)
{
    public string Key => $"nav:{Current}:{IsHome}";
}
