using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Media;

/// <summary>What the library grid and the editor's picker show of an image or a video (with its poster's name).</summary>
public sealed record MediaCard(int Id, string StoredName, string OriginalName, string? AltText, int Width, int Height,
    long Length, DateTime UploadedAt, string UploadedByName, bool WasAnimated,
    MediaKind Kind = MediaKind.Image, double? DurationSeconds = null, string? PosterStoredName = null)
{
    public bool IsVideo => Kind == MediaKind.Video;

    public string? PosterUrl => PosterStoredName is null ? null : MediaName.UrlOf(PosterStoredName);

    public string? Duration => MediaLibrary.FormatDuration(DurationSeconds);

    public string Url => MediaName.UrlOf(StoredName);

    public string Size => MediaLibrary.FormatSize(Length);

    public string MarkdownSnippet => MediaItem.Markdown(Url, AltText);
}

public static class MediaListing
{
    public const int MaxQueryLength = 100;

    /// <summary>One page of the library, newest first, optionally matching <paramref name="query"/> in name or alt text.</summary>
    public static async Task<(Paging Paging, List<MediaCard> Items)> PageAsync(this DbSet<MediaItem> library, string? query,
        int? page, int pageSize, string basePath, CancellationToken ct, MediaKind? kind = null)
    {
        IQueryable<MediaItem> items = library;
        if (kind is { } k)
        {
            items = items.Where(m => m.Kind == k);
        }
        var postgres = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Infrastructure.ICurrentDbContext>(library).Context.Database.IsNpgsql();
        if (Normalize(query) is { } q)
        {
            // LIKE with an escape character, so a typed % or _ means itself; ASCII letters match either case.
            var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            // SQLite's LIKE ignores the case of ASCII letters; on PostgreSQL ILIKE does.
            items = postgres
                ? items.Where(m => EF.Functions.ILike(m.OriginalName, pattern, "\\")
                    || (m.AltText != null && EF.Functions.ILike(m.AltText, pattern, "\\")))
                : items.Where(m => EF.Functions.Like(m.OriginalName, pattern, "\\")
                    || (m.AltText != null && EF.Functions.Like(m.AltText, pattern, "\\")));
        }
        var paging = new Paging(Paging.Normalize(page), pageSize, await items.CountAsync(ct), basePath, ShowTotal: false);
        if (paging.IsBeyondEnd)
        {
            paging = paging with { Page = paging.TotalPages };
        }
        var list = await items.AsNoTracking()
            .OrderByDescending(m => m.UploadedAt).ThenByDescending(m => m.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(m => new MediaCard(m.Id, m.StoredName, m.OriginalName, m.AltText, m.Width, m.Height, m.Length,
                m.UploadedAt, m.UploadedByName, m.WasAnimated, m.Kind, m.DurationSeconds,
                library.Where(p => p.Id == m.PosterId).Select(p => p.StoredName).FirstOrDefault()))
            .ToListAsync(ct);
        return (paging, list);
    }

    /// <summary>The library's kind filter from the query string: image, video, or everything.</summary>
    public static MediaKind? ParseKind(string? kind) => kind switch
    {
        "image" => MediaKind.Image,
        "video" => MediaKind.Video,
        _ => null,
    };

    /// <summary>The search text trimmed and bounded; null when there is nothing to search for.</summary>
    public static string? Normalize(string? query)
    {
        var q = query?.Trim();
        return string.IsNullOrEmpty(q) ? null : q.Length > MaxQueryLength ? q[..MaxQueryLength] : q;
    }
}
