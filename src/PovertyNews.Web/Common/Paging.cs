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
