using System.Globalization;
using System.Text;

namespace PovertyNews.Web.Domain;

/// <summary>
/// One image of the media library (媒体库). The file on disk is a re-encoded copy of the upload (metadata stripped)
/// under <see cref="StoredName"/>; smaller WebP renditions sit beside it (see <see cref="MediaName"/>).
/// </summary>
public class MediaItem
{
    public const int MaxOriginalNameLength = 200;
    public const int MaxAltTextLength = 200;

    public int Id { get; set; }

    /// <summary>Generated file name, e.g. <c>3f…a1-1600x1200.jpg</c>; never changes, so it can be cached forever.</summary>
    public required string StoredName { get; set; }

    /// <summary>The uploader's file name, cleaned for display and search (no folders, no control characters).</summary>
    public required string OriginalName { get; set; }

    /// <summary>What was uploaded: jpeg, png, webp or gif.</summary>
    public required string SourceFormat { get; set; }

    /// <summary>An animated GIF of which only the first frame was kept.</summary>
    public bool WasAnimated { get; set; }

    /// <summary>Content type of the stored file (a GIF is stored as PNG).</summary>
    public required string ContentType { get; set; }

    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>Bytes of the stored file.</summary>
    public long Length { get; set; }

    /// <summary>Hex SHA-256 of the uploaded bytes; an identical second upload finds this item instead of a copy.</summary>
    public required string Sha256 { get; set; }

    /// <summary>替代文字: what the image shows, for screen readers and when it does not load.</summary>
    public string? AltText { get; private set; }

    public DateTime UploadedAt { get; set; }
    public string? UploadedById { get; set; }
    public string UploadedByName { get; set; } = "";

    /// <summary>An image or a video file.</summary>
    public MediaKind Kind { get; set; }

    /// <summary>A video's poster: the library image shown before it plays (null: none chosen).</summary>
    public int? PosterId { get; set; }

    /// <summary>A video's running time in seconds, read from its container when it says.</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>Widths of the WebP renditions made at upload (each narrower than <see cref="Width"/>).</summary>
    public List<int> RenditionWidths { get; set; } = [];

    public string Url => MediaName.UrlOf(StoredName);

    public string MarkdownSnippet => Markdown(Url, AltText);

    /// <summary>The Markdown that shows an image in an article body.</summary>
    public static string Markdown(string url, string? altText) => $"![{EscapeMarkdown(altText ?? "")}]({url})";

    /// <summary>Sets the alt text (trimmed, control characters removed); false when it is too long.</summary>
    public bool SetAltText(string? text)
    {
        var clean = CleanText(text ?? "");
        if (clean.Length > MaxAltTextLength)
        {
            return false;
        }
        AltText = clean.Length == 0 ? null : clean;
        return true;
    }

    // ---- Who may do what. Reporters upload and pick; editors keep the library tidy. ----

    public static bool CanUse(Actor actor) => actor.CanWrite || actor.IsIn(NewsRoles.Administrator);

    /// <summary>The uploader may correct their own image's alt text; editors and administrators any image's.</summary>
    public bool CanEditAltText(Actor actor) =>
        actor.IsEditorial || actor.IsIn(NewsRoles.Administrator) || (UploadedById is not null && UploadedById == actor.UserId);

    /// <summary>Deleting is for editors and administrators, and only for images no article uses (checked by the caller).</summary>
    public static bool CanDelete(Actor actor) => actor.IsEditorial || actor.IsIn(NewsRoles.Administrator);

    /// <summary>
    /// The uploader's file name as safe text: the last path segment only (so "../../x.jpg" is "x.jpg"), no control or
    /// invisible formatting characters (which could reverse how the name reads), whitespace collapsed, bounded length.
    /// </summary>
    public static string CleanOriginalName(string? name)
    {
        var value = (name ?? "").Replace('\\', '/');
        value = value[(value.LastIndexOf('/') + 1)..];
        value = CleanText(value).Trim('.', ' ');
        if (value.Length > MaxOriginalNameLength)
        {
            var extension = Path.GetExtension(value);
            value = extension.Length is > 0 and <= 10
                ? value[..(MaxOriginalNameLength - extension.Length)] + extension
                : value[..MaxOriginalNameLength];
        }
        return value.Length == 0 ? "未命名图片" : value;
    }

    /// <summary>Whether a file name climbs folders ("../x.jpg", or "a\..\x.jpg" from Windows).</summary>
    public static bool HasParentSegment(string? name) =>
        name is not null && name.Replace('\\', '/').Split('/').Any(segment => segment.Trim() == "..");

    private static string CleanText(string value)
    {
        var builder = new StringBuilder(value.Length);
        var lastWasSpace = false;
        foreach (var c in value.Normalize(NormalizationForm.FormC))
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.PrivateUse)
            {
                continue; // bidi overrides, zero-width characters
            }
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                if (!lastWasSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                lastWasSpace = true;
                continue;
            }
            builder.Append(c);
            lastWasSpace = false;
        }
        return builder.ToString().Trim();
    }

    /// <summary>Brackets and backslashes in alt text would end the Markdown image early.</summary>
    private static string EscapeMarkdown(string text) =>
        text.Replace("\\", "\\\\").Replace("[", "\\[").Replace("]", "\\]");
}

public enum MediaKind
{
    Image = 0,
    /// <summary>An MP4 or WebM file, stored as uploaded and served with byte ranges.</summary>
    Video = 1,
}
