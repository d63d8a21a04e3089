using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Media;

/// <summary>An article that shows a library image, and where.</summary>
public sealed record MediaUsage(int ArticleId, string Title, ArticleStatus Status, bool AsCover, bool AsPoster, bool InBody)
{
    public string Places => string.Join("、", new[] { AsCover ? "封面" : null, AsPoster ? "视频封面" : null, InBody ? "正文" : null }
        .Where(p => p is not null));
}

/// <summary>Everything that uses an image: the articles the user may see, and how many others there are.</summary>
public sealed record MediaUsages(IReadOnlyList<MediaUsage> Visible, int Hidden)
{
    public bool Any => Visible.Count + Hidden > 0;
}

/// <summary>
/// The media library's work: upload (check, re-encode, store, record), alt text, where an image is used, delete.
/// Files are written before the row and removed again if the row cannot be saved, so a failed upload leaves neither;
/// a crash between the two leaves only an unreferenced file, never a row without its file. Every change answers a
/// <see cref="Result"/>; refusals of an upload carry the status to answer with (413 too large, 415 not an image).
/// </summary>
public sealed class MediaLibrary(
    NewsDbContext db,
    ImageProcessor processor,
    MediaStore store,
    AuditLog audit,
    TimeProvider time,
    IOptions<MediaOptions> options,
    IArticlePermissions permissions,
    Markdown.MarkdownRenderer renderer,
    ILogger<MediaLibrary> logger)
{
    /// <summary>Who may open the library (for [Authorize(Roles = …)]): everyone who writes, and administrators.</summary>
    public const string Roles = NewsRoles.Writers + "," + NewsRoles.Administrator;

    private MediaOptions Options => options.Value;

    public static string TooLargeMessage(long maxBytes, long? actual = null) =>
        (actual is { } size ? $"文件过大（{FormatSize(size)}），" : "文件过大，") + $"图片不能超过 {FormatSize(maxBytes)}。请压缩或缩小后再上传。";

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / 1024.0 / 1024.0:0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} 字节",
    };

    public const string DuplicateMessage = "这张图片已在媒体库中，没有重复保存。";

    /// <summary>Done with the new item, or unchanged with the item already holding the same image.</summary>
    public async Task<Result<MediaItem>> UploadAsync(Stream content, long length, string? fileName, string? altText, Actor actor,
        CancellationToken ct)
    {
        if (length > Options.MaxBytes)
        {
            return Refused(TooLargeMessage(Options.MaxBytes, length), StatusCodes.Status413PayloadTooLarge);
        }
        if (length == 0)
        {
            return Refused("文件是空的，请重新选择图片。");
        }
        if (MediaItem.HasParentSegment(fileName))
        {
            // Browsers send only the file's own name; "../" comes from a crafted request.
            return Refused("文件名含有“../”这样的路径，已拒绝。请把文件重命名后再上传。");
        }
        var probe = new MediaItem { StoredName = "", OriginalName = "", SourceFormat = "", ContentType = "", Sha256 = "" };
        if (!probe.SetAltText(altText))
        {
            return Refused(AltTextMessage);
        }
        await using var upload = store.CreateTemporaryFile();
        var sha = await CopyBoundedAsync(content, upload, Options.MaxBytes, ct);
        if (sha is null)
        {
            return Refused(TooLargeMessage(Options.MaxBytes), StatusCodes.Status413PayloadTooLarge);
        }
        if (await db.MediaItems.FirstOrDefaultAsync(m => m.Sha256 == sha, ct) is { } existing)
        {
            return Result<MediaItem>.Unchanged(existing, DuplicateMessage);
        }

        ProcessedImage processed;
        try
        {
            processed = await processor.ProcessAsync(upload.Name, ct);
        }
        catch (MediaRejectedException e)
        {
            logger.LogInformation("Upload of {OriginalName} by {UserId} refused: {Reason}", MediaItem.CleanOriginalName(fileName), actor.UserId, e.Message);
            return Refused(e.Message, e.StatusCode);
        }
        using var image = processed;

        var name = MediaName.Create(sha[..32], image.Width, image.Height, image.Extension);
        var item = new MediaItem
        {
            StoredName = name.FileName,
            OriginalName = MediaItem.CleanOriginalName(fileName),
            SourceFormat = image.SourceFormat,
            WasAnimated = image.WasAnimated,
            ContentType = image.ContentType,
            Width = image.Width,
            Height = image.Height,
            Length = image.Encoded.Size,
            Sha256 = sha,
            UploadedAt = time.GetUtcNow().UtcDateTime,
            UploadedById = actor.UserId,
            UploadedByName = actor.Name,
            RenditionWidths = image.Renditions.Select(r => r.Width).ToList(),
        };
        item.SetAltText(altText);

        var created = store.Save([(name, image.Encoded), .. image.Renditions.Select(r => (name.Rendition(r.Width), r.Encoded))]);
        try
        {
            db.MediaItems.Add(item);
            audit.Add(AuditActions.MediaUploaded, Target(item),
                $"{item.OriginalName}（{item.Width}×{item.Height}，{FormatSize(item.Length)}）");
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateException or OperationCanceledException)
        {
            store.Delete(created);
            db.ChangeTracker.Clear();
            if (e is DbUpdateException && await db.MediaItems.AsNoTracking().FirstOrDefaultAsync(m => m.Sha256 == sha, CancellationToken.None) is { } twin)
            {
                return Result<MediaItem>.Unchanged(twin, DuplicateMessage); // the same image, uploaded at the same moment
            }
            throw;
        }
        logger.LogInformation("Media {StoredName} uploaded by {UserId} from {OriginalName} ({Width}x{Height}, {Length} bytes, renditions {Renditions})",
            item.StoredName, actor.UserId, item.OriginalName, item.Width, item.Height, item.Length, item.RenditionWidths);
        return Result<MediaItem>.Done(item, "已上传。");
    }

    public static string AltTextMessage => $"替代文字不能超过 {MediaItem.MaxAltTextLength} 个字。";

    /// <summary>Sets the alt text of <paramref name="item"/> (tracked); nothing is saved when it is too long.</summary>
    public async Task<Result> SetAltTextAsync(MediaItem item, string? altText, Actor actor, CancellationToken ct)
    {
        if (!item.CanEditAltText(actor))
        {
            return Result.Forbidden();
        }
        var before = item.AltText;
        if (!item.SetAltText(altText))
        {
            return Result.Refused(AltTextMessage);
        }
        if (item.AltText == before)
        {
            return Result.Unchanged("替代文字已保存。");
        }
        audit.Add(AuditActions.MediaAltChanged, Target(item), $"“{before}” → “{item.AltText}”");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Alt text of media {StoredName} changed by {UserId}", item.StoredName, actor.UserId);
        return Result.Done("替代文字已保存。");
    }

    /// <summary>
    /// Articles whose cover, video poster or Markdown body names the image or one of its renditions. The body is
    /// searched as text (LIKE and a pattern), which reads every article: fine for a newsroom's tens of thousands.
    /// </summary>
    public async Task<MediaUsages> UsagesAsync(MediaItem item, Actor actor, CancellationToken ct)
    {
        if (!MediaName.TryParse(item.StoredName, out var name))
        {
            return new MediaUsages([], 0);
        }
        // Where an image is used is decided from the URLs as the browser will resolve them (MediaReferences), not from
        // the source's spelling: the database only narrows the rows down to those that contain the key or something
        // that could hide it, and each candidate is decided here. Live text is the stored rendered HTML; a pending
        // version stores Markdown only, so it is rendered as it would be published.
        var key = name.Value.Key;
        var like = "%" + key + "%";
        var postgres = db.Database.IsNpgsql();
        var live = (await db.Articles.AsNoTracking()
            .Where(MediaReferences.LiveCandidates(like, postgres))
            .Select(a => new
            {
                a.Id, a.Title, a.Status, a.CoverImageUrl, a.VideoPosterUrl, a.BodyHtml,
                Facts = new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt),
                a.UpdatedAt,
            })
            .ToListAsync(ct))
            .Select(a => new
            {
                Usage = new MediaUsage(a.Id, a.Title, a.Status, MediaReferences.UrlUses(a.CoverImageUrl, key),
                    MediaReferences.UrlUses(a.VideoPosterUrl, key), MediaReferences.HtmlUses(a.BodyHtml, key)),
                a.Facts,
                a.UpdatedAt,
            })
            .ToList();
        // A pending version (an edit of reviewed text waiting for review) uses the image too: deleting it would break
        // the text that is to replace the live one.
        var pending = (await (
                from a in db.Articles.AsNoTracking()
                join r in db.ArticleRevisions.AsNoTracking().Where(MediaReferences.PendingCandidates(like, postgres))
                    on new { a.Id, Number = a.PendingRevision } equals new { Id = r.ArticleId, Number = (int?)r.Number }
                select new
                {
                    a.Id, a.Title, a.Status, r.CoverImageUrl, r.VideoPosterUrl, r.BodyMarkdown,
                    Facts = new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt),
                    a.UpdatedAt,
                })
            .ToListAsync(ct))
            .Select(r => new
            {
                Usage = new MediaUsage(r.Id, r.Title, r.Status, MediaReferences.UrlUses(r.CoverImageUrl, key),
                    MediaReferences.UrlUses(r.VideoPosterUrl, key), PendingBodyUses(r.BodyMarkdown, key)),
                r.Facts,
                r.UpdatedAt,
            })
            .ToList();
        var rows = live.Concat(pending).Where(r => r.Usage.AsCover || r.Usage.AsPoster || r.Usage.InBody).GroupBy(r => r.Usage.ArticleId)
            .Select(g => g.Aggregate((x, y) => x with
            {
                Usage = x.Usage with { AsCover = x.Usage.AsCover || y.Usage.AsCover, AsPoster = x.Usage.AsPoster || y.Usage.AsPoster, InBody = x.Usage.InBody || y.Usage.InBody },
            }))
            .OrderByDescending(r => r.UpdatedAt)
            .ToList();
        // Articles this person may not open (someone else's draft, another desk's, an embargoed one) are counted, not named.
        var visible = new List<MediaUsage>();
        foreach (var row in rows)
        {
            if (await permissions.MayNameInMediaAsync(actor, row.Facts))
            {
                visible.Add(row.Usage);
            }
        }
        return new MediaUsages(visible, rows.Count - visible.Count);
    }

    private bool PendingBodyUses(string markdown, string key)
    {
        try
        {
            return MediaReferences.HtmlUses(renderer.Render(markdown), key);
        }
        catch (Markdown.MarkdownRejectedException)
        {
            // Text the renderer refuses cannot be published as it is; its spelling is all there is to go by.
            return MediaReferences.UrlUses(markdown, key);
        }
    }

    /// <summary>Deletes an unused image; one still in use is a conflict carrying where it is used.</summary>
    public async Task<Result<MediaUsages>> DeleteAsync(MediaItem item, Actor actor, CancellationToken ct)
    {
        if (!MediaItem.CanDelete(actor))
        {
            return Result.Forbidden().As<MediaUsages>();
        }
        var usages = await UsagesAsync(item, actor, ct);
        if (usages.Any)
        {
            return Result<MediaUsages>.Conflict(
                $"这张图片正被 {usages.Visible.Count + usages.Hidden} 篇稿件使用，不能删除。请先在这些稿件中换掉或删去它。", usages);
        }
        db.MediaItems.Remove(item);
        audit.Add(AuditActions.MediaDeleted, Target(item), item.OriginalName);
        await db.SaveChangesAsync(ct);

        // The row is gone first: a file that cannot be removed now is only an orphan, never a broken library entry.
        var files = MediaName.TryParse(item.StoredName, out var name) ? store.FilesOf(name.Value.Key) : [];
        foreach (var path in store.Delete(files))
        {
            logger.LogWarning("Media file {Path} of deleted {StoredName} could not be removed", path, item.StoredName);
        }
        logger.LogInformation("Media {StoredName} deleted by {UserId} ({FileCount} files)", item.StoredName, actor.UserId, files.Count);
        return Result<MediaUsages>.Done(usages, $"已删除图片“{item.OriginalName}”。");
    }

    public static string Target(MediaItem item) => "media:" + item.StoredName;

    private static Result<MediaItem> Refused(string message, int status = StatusCodes.Status400BadRequest) =>
        Result.Refused(message, status).As<MediaItem>();

    /// <summary>
    /// Copies the upload to <paramref name="file"/> in 80 KB pieces while hashing it; the SHA-256 in hex, or null as
    /// soon as the upload turns out longer than <paramref name="max"/>. Memory stays at one piece however large the
    /// upload is.
    /// </summary>
    public static async Task<string?> CopyBoundedAsync(Stream content, Stream file, long max, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            total += read;
            if (total > max)
            {
                return null;
            }
            hash.AppendData(chunk, 0, read);
            await file.WriteAsync(chunk.AsMemory(0, read), ct);
        }
        await file.FlushAsync(ct);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
