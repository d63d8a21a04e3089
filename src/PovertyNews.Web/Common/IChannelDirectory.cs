namespace PovertyNews.Web.Common;

/// <summary>
/// The channels as readers see them now, for features that only need to resolve a slug (the search form's channel
/// filter) and should not depend on how the reading side keeps them.
/// </summary>
public interface IChannelDirectory
{
    /// <summary>The channel with this slug, or the one a former slug of it now redirects to.</summary>
    Task<ChannelLink?> FindAsync(string slug, CancellationToken ct);
}
