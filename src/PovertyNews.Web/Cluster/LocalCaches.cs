using PovertyNews.Web.Api.Keys;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Cluster;

/// <summary>This node's caches built from the database, dropped as a change announced by another node says.</summary>
public sealed class LocalCaches(ConsistentOutputCacheStore store, PortalCache portal, SensitiveWordCache words, SynonymCache synonyms,
    ApiKeyDirectory keys)
{
    public async Task DropAsync(ClusterChange change, CancellationToken ct)
    {
        if (change.Portal || change.Everything)
        {
            portal.Invalidate();
        }
        if (change.SensitiveWords || change.Everything)
        {
            words.Invalidate();
        }
        if (change.Synonyms || change.Everything)
        {
            synonyms.Invalidate();
        }
        if (change.ApiKeys || change.Everything)
        {
            keys.ForgetAll();
        }
        if (change.Everything)
        {
            // Every cached reader answer carries this tag.
            await store.EvictByTagAsync(CacheTags.Reader, ct);
            return;
        }
        foreach (var tag in change.Tags)
        {
            await store.EvictByTagAsync(tag, ct);
        }
    }
}
