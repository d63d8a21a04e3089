namespace PovertyNews.Web.Cluster;

/// <summary>
/// What one node tells the others to drop from their own caches after a save: cached pages by tag, the portal
/// snapshot, the sensitive-word list, search's synonym table, the API keys it has looked up, or everything (a node that
/// missed announcements while cut off from Redis).
/// </summary>
public sealed record ClusterChange(string[] Tags, bool Portal = false, bool SensitiveWords = false, bool Everything = false,
    bool Synonyms = false, bool ApiKeys = false)
{
    public static readonly ClusterChange All = new([], Portal: true, SensitiveWords: true, Everything: true, Synonyms: true, ApiKeys: true);

    public static readonly ClusterChange WordList = new([], SensitiveWords: true);

    /// <summary>A key was revoked or its limit changed: every node looks its keys up again.</summary>
    public static readonly ClusterChange Keys = new([], ApiKeys: true);

    public bool IsEmpty => Tags.Length == 0 && !Portal && !SensitiveWords && !Everything && !Synonyms && !ApiKeys;
}

/// <summary>Announces a change this node has already applied to its own caches to the other nodes.</summary>
public interface IClusterBus
{
    /// <summary>
    /// Returns once every other node confirmed it dropped what the change names, or the confirm timeout passed.
    /// Never throws for an unreachable Redis: the save is done; the nodes catch up (see <see cref="ClusterOptions.FallbackInterval"/>).
    /// </summary>
    Task AnnounceAsync(ClusterChange change, CancellationToken ct);
}

/// <summary>A node alone: there is nobody to tell.</summary>
public sealed class SingleNodeBus : IClusterBus
{
    public Task AnnounceAsync(ClusterChange change, CancellationToken ct) => Task.CompletedTask;
}
