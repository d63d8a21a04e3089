namespace PovertyNews.Web.Common;

/// <summary>A report a saved search found.</summary>
public sealed record QueryMatch(int ArticleId, string Title, DateTime PublishedAt);

/// <param name="Count">Matches in the period, counted up to the search's limit.</param>
/// <param name="Newest">The newest of them, newest first.</param>
public sealed record QueryMatches(int Count, IReadOnlyList<QueryMatch> Newest)
{
    /// <summary>Matches counted per period at most; an alert says "at least" when it is reached.</summary>
    public const int Limit = 200;

    public static readonly QueryMatches None = new(0, []);
}

/// <summary>
/// Runs a saved staff search (its query string, as the staff search page reads it) over the reports that went out
/// in a period: what the newsroom's saved-search alerts ask of the search feature.
/// </summary>
public interface ISavedQueryMatcher
{
    /// <summary>
    /// Reports readers can see at <paramref name="until"/> whose publication time lies after <paramref name="after"/>
    /// and not after <paramref name="until"/>, that the search <paramref name="query"/> finds for a person limited to
    /// what readers see plus their own (<paramref name="ownerOnly"/>; null for editorial staff).
    /// </summary>
    Task<QueryMatches> PublishedBetweenAsync(string query, string? ownerOnly, DateTime after, DateTime until, int newest, CancellationToken ct);
}
