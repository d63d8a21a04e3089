namespace PovertyNews.Web.Reading;

/// <summary>Page arithmetic for listings; odd page values (negative, huge, not a number) fall back to page 1.</summary>
public sealed record Paging(int Page, int PageSize, int TotalItems, string BasePath)
{
    public int TotalPages => Math.Max(1, (int)Math.Ceiling(TotalItems / (double)PageSize));

    public int Skip => (Page - 1) * PageSize;

    /// <summary>A page past the end of a non-empty list does not exist.</summary>
    public bool IsBeyondEnd => Page > TotalPages;

    public string UrlFor(int page) => page <= 1 ? BasePath : $"{BasePath}?page={page}";

    public static int Normalize(int? requested) => requested is > 0 ? requested.Value : 1;
}
