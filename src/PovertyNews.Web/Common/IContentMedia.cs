namespace PovertyNews.Web.Common;

/// <summary>
/// The media library as the content import needs it: a video file of the content folder (and its poster image) put
/// into the library as an upload would be, checked by its bytes and deduplicated by hash.
/// </summary>
public interface IContentMedia
{
    /// <summary>The library URLs of the video and its poster; a refusal is an <see cref="InvalidDataException"/> with the reason.</summary>
    Task<(string VideoUrl, string? PosterUrl)> ImportVideoAsync(byte[] video, string videoName, byte[]? poster, string? posterName,
        string title, CancellationToken ct);
}
