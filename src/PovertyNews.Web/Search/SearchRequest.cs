using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Search;

public enum SearchScope
{
    /// <summary>Readers: published articles whose time has come.</summary>
    Public,

    /// <summary>Newsroom staff: every article in every state.</summary>
    Staff,
}

public enum SearchSort
{
    Relevance,
    Newest,
}

/// <summary>What to look for and where; the query is already parsed and the filters already validated.</summary>
public sealed record SearchRequest
{
    public required SearchQuery Query { get; init; }
    public SearchScope Scope { get; init; } = SearchScope.Public;

    /// <summary>UTC; public searches see nothing scheduled after it.</summary>
    public required DateTime Now { get; init; }

    /// <summary>The channel and its sub-channels.</summary>
    public int? ChannelId { get; init; }
    public string? Source { get; init; }
    public string? Author { get; init; }
    public ArticleKind? Kind { get; init; }

    /// <summary>UTC, inclusive.</summary>
    public DateTime? From { get; init; }

    /// <summary>UTC, exclusive.</summary>
    public DateTime? Until { get; init; }

    /// <summary>
    /// Staff without the editorial roles find what readers find plus their own articles in any state, as in the
    /// newsroom's article list.
    /// </summary>
    public string? OnlyVisibleOrOwnedBy { get; init; }

    /// <summary>Staff only: any of these statuses.</summary>
    public IReadOnlyList<ArticleStatus>? Statuses { get; init; }

    public SearchSort Sort { get; init; } = SearchSort.Relevance;
    public int Skip { get; init; }
    public int Take { get; init; } = 20;
}

/// <param name="ArticleIds">The page of hits in order.</param>
/// <param name="Total">Matching articles, counted up to the configured limit.</param>
/// <param name="TotalIsLowerBound">The count stopped at the limit: there are at least <paramref name="Total"/>.</param>
/// <param name="RankedNewestOnly">
/// Relevance was computed over the newest matches only, because there were more than the ranking window holds.
/// </param>
/// <param name="RankingWindow">How many of the newest matches were ranked, when <paramref name="RankedNewestOnly"/>.</param>
public sealed record SearchHits(IReadOnlyList<int> ArticleIds, int Total, bool TotalIsLowerBound, bool RankedNewestOnly, int RankingWindow = 0)
{
    public static readonly SearchHits None = new([], 0, false, false);
}
