using Microsoft.EntityFrameworkCore;

namespace PovertyNews.Web.Common;

/// <summary>Page arithmetic for listings; odd page values (negative, huge, not a number) fall back to page 1.</summary>
/// <param name="ShowTotal">Whether the pager may state <paramref name="TotalItems"/> as the number of items.</param>
public sealed record Paging(int Page, int PageSize, int TotalItems, string BasePath, bool ShowTotal = true)
{
    public int TotalPages => Math.Max(1, (int)Math.Ceiling(TotalItems / (double)PageSize));

    public int Skip => (Page - 1) * PageSize;

    /// <summary>A page past the end of a non-empty list does not exist.</summary>
    public bool IsBeyondEnd => Page > TotalPages;

    public string UrlFor(int page) => page <= 1 ? BasePath : $"{BasePath}{(BasePath.Contains('?') ? '&' : '?')}page={page}";

    public static int Normalize(int? requested) => requested is > 0 ? requested.Value : 1;

    /// <summary>
    /// The page numbers the pager shows: the first, the last, and <paramref name="radius"/> either side of the current
    /// page, with null where numbers are left out (…). A gap of one number shows that number instead.
    /// </summary>
    public IReadOnlyList<int?> Window(int radius = 2)
    {
        var last = TotalPages;
        var from = Math.Max(1, Page - radius);
        var to = Math.Min(last, Page + radius);
        var pages = new List<int?>();
        if (from > 1)
        {
            pages.Add(1);
            if (from > 3)
            {
                pages.Add(null);
            }
            else if (from == 3)
            {
                pages.Add(2);
            }
        }
        for (var p = from; p <= to; p++)
        {
            pages.Add(p);
        }
        if (to < last)
        {
            if (to < last - 2)
            {
                pages.Add(null);
            }
            else if (to == last - 2)
            {
                pages.Add(last - 1);
            }
            pages.Add(last);
        }
        return pages;
    }

    /// <summary>The path the page-jump form goes to (<see cref="BasePath"/> without its query).</summary>
    public string JumpAction => BasePath.Split('?', 2)[0];

    /// <summary>The list's other query values, carried by the page-jump form as hidden fields (never <c>page</c>).</summary>
    public IEnumerable<KeyValuePair<string, string>> JumpFields =>
        BasePath.Split('?', 2) is [_, var query]
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
                .Where(q => !string.Equals(q.Key, "page", StringComparison.OrdinalIgnoreCase))
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")))
            : [];
}

public static class PagingQueries
{
    /// <summary>
    /// One page of a listing, newest first, as cards: a count and a page query whatever the list's length.
    /// Null when the page lies past the end.
    /// </summary>
    public static async Task<(Paging Paging, List<ArticleCard> Items)?> NewestFirstPageAsync(
        this IQueryable<Domain.Article> query, int? page, int pageSize, string basePath, CancellationToken ct)
    {
        var paging = new Paging(Paging.Normalize(page), pageSize, await query.CountAsync(ct), basePath);
        if (paging.IsBeyondEnd)
        {
            return null;
        }
        var items = await query.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(ArticleCard.Projection).ToListAsync(ct);
        return (paging, items);
    }
}
