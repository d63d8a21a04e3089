using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Search;

/// <summary>
/// A saved staff search over a period's new reports: the stored query string read into the page's own form and
/// request (<see cref="ArticleSearch.StaffRequestAsync"/>), narrowed to published reports and to the period, through
/// the index; the period's bounds are then checked to the instant against the articles (the index keys hold seconds).
/// </summary>
public sealed class SavedQueryMatcher(NewsDbContext db, ISearchIndex index, ArticleSearch search) : ISavedQueryMatcher
{
    private static readonly ArticleStatus[] Published = [ArticleStatus.Published, ArticleStatus.Scheduled];

    public async Task<QueryMatches> PublishedBetweenAsync(string query, string? ownerOnly, DateTime after, DateTime until, int newest,
        CancellationToken ct)
    {
        var form = Parse(query);
        // A status filter is kept as the page reads it: one without published reports finds nothing new.
        var statuses = StaffStatusFilters.Of(form.Status) is { } chosen ? Published.Intersect(chosen).ToArray() : Published;
        if (statuses.Length == 0 || await search.StaffRequestAsync(form, statuses, ownerOnly, ct) is not { } request)
        {
            return QueryMatches.None;
        }
        var from = request.From is { } f && f > after ? f : after;
        var to = request.Until is { } u && u <= until ? u : until.AddSeconds(1);
        if (from >= to)
        {
            return QueryMatches.None;
        }
        var hits = await index.SearchAsync(db, request with { From = from, Until = to, Sort = SearchSort.Newest, Skip = 0, Take = QueryMatches.Limit }, ct);
        if (hits.ArticleIds.Count == 0)
        {
            return QueryMatches.None;
        }
        var ids = hits.ArticleIds;
        var matches = await db.Articles.AsNoTracking()
            .Where(a => EF.Constant(ids).Contains(a.Id))
            .Where(Article.VisibleAt(until))
            .Where(a => a.PublishedAt > after && (request.Until == null || a.PublishedAt < request.Until))
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Select(a => new QueryMatch(a.Id, a.Title, a.PublishedAt!.Value))
            .ToListAsync(ct);
        return new QueryMatches(matches.Count, matches.Take(newest).ToList());
    }

    /// <summary>The staff search page's form from its query string ("?q=…&amp;channel=…"), first value of each field.</summary>
    public static SearchForm Parse(string query)
    {
        var values = QueryHelpers.ParseQuery(query);
        string? Value(string key) => values.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : null;
        return new SearchForm
        {
            Q = Value("q"), Channel = Value("channel"), Source = Value("source"), Author = Value("author"), Kind = Value("kind"),
            From = Value("from"), To = Value("to"), Sort = Value("sort"), Status = Value("status"),
        };
    }
}
