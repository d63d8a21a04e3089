using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Media;

/// <summary>An article that shows a library image, and where.</summary>
public sealed record MediaUsage(int ArticleId, string Title, ArticleStatus Status, bool AsCover, bool AsPoster, bool InBody, bool AsVideo = false)
{
    public string Places => string.Join("、", new[] { AsCover ? "封面" : null, AsPoster ? "视频封面" : null, InBody ? "正文" : null, AsVideo ? "视频" : null }
        .Where(p => p is not null));
}

/// <summary>
/// Everything that uses an image or video: the articles the user may see, how many others there are, and the library
/// videos that show the image as their poster.
/// </summary>
public sealed record MediaUsages(IReadOnlyList<MediaUsage> Visible, int Hidden, IReadOnlyList<PosterUse>? Posters = null)
{
    public IReadOnlyList<PosterUse> PosterOf => Posters ?? [];

    public bool Any => Visible.Count + Hidden + PosterOf.Count > 0;
}

/// <summary>A library video whose poster is the image.</summary>
public sealed record PosterUse(int VideoId, string OriginalName);

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
    ILogger<MediaLibrary> logger) : IContentMedia
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

    public const string VideoOnImageFormMessage = "这是一个视频文件，请在媒体库中用“上传视频”上传。";

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

        var head = new byte[8];
        upload.Position = 0;
        if (VideoContainer.StartsLikeVideo(head.AsSpan(0, await upload.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct))))
        {
            // An MP4 or WebM sent through the image form: say where it belongs instead of "not an image".
            return Refused(VideoOnImageFormMessage, StatusCodes.Status415UnsupportedMediaType);
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
            UploadedById = actor.UserId.Length == 0 ? null : actor.UserId, // empty: the content import
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

    public static string VideoTooLargeMessage(long maxBytes, long? actual = null) =>
        (actual is { } size ? $"文件过大（{FormatSize(size)}），" : "文件过大，") + $"视频不能超过 {FormatSize(maxBytes)}。请压缩或剪短后再上传。";

    public const string DuplicateVideoMessage = "这段视频已在媒体库中，没有重复保存。";

    /// <summary>
    /// Stores an MP4 or WebM video as uploaded (recognised by its container, see <see cref="VideoContainer"/>), with
    /// an optional poster from the library. Unchanged with the existing item when the same file is there already.
    /// The upload is copied to a temporary file piece by piece (memory stays at one piece) and moved into place.
    /// </summary>
    public async Task<Result<MediaItem>> UploadVideoAsync(Stream content, long length, string? fileName, string? altText,
        int? posterId, Actor actor, CancellationToken ct)
    {
        if (length > Options.MaxVideoBytes)
        {
            return Refused(VideoTooLargeMessage(Options.MaxVideoBytes, length), StatusCodes.Status413PayloadTooLarge);
        }
        if (length == 0)
        {
            return Refused("文件是空的，请重新选择视频。");
        }
        if (MediaItem.HasParentSegment(fileName))
        {
            return Refused("文件名含有“../”这样的路径，已拒绝。请把文件重命名后再上传。");
        }
        var probe = new MediaItem { StoredName = "", OriginalName = "", SourceFormat = "", ContentType = "", Sha256 = "" };
        if (!probe.SetAltText(altText))
        {
            return Refused(AltTextMessage);
        }
        if (posterId is { } pid && !await db.MediaItems.AnyAsync(m => m.Id == pid && m.Kind == MediaKind.Image, ct))
        {
            return Refused("选择的视频封面不在媒体库的图片中，请重新选择。");
        }
        var temporary = store.CreateTemporaryPath();
        try
        {
            string? sha;
            VideoInfo? info;
            string? refusal;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                sha = await CopyBoundedAsync(content, file, Options.MaxVideoBytes, ct);
                if (sha is null)
                {
                    return Refused(VideoTooLargeMessage(Options.MaxVideoBytes), StatusCodes.Status413PayloadTooLarge);
                }
                (info, refusal) = VideoContainer.Read(file);
            }
            if (await db.MediaItems.FirstOrDefaultAsync(m => m.Sha256 == sha, ct) is { } existing)
            {
                return Result<MediaItem>.Unchanged(existing, existing.Kind == MediaKind.Video ? DuplicateVideoMessage : DuplicateMessage);
            }
            if (info is null)
            {
                logger.LogInformation("Video upload of {OriginalName} by {UserId} refused: {Reason}", MediaItem.CleanOriginalName(fileName), actor.UserId, refusal);
                return Refused(refusal!, StatusCodes.Status415UnsupportedMediaType);
            }

            var name = MediaName.Create(sha[..32], info.Width, info.Height, info.Extension);
            var item = new MediaItem
            {
                StoredName = name.FileName,
                OriginalName = MediaItem.CleanOriginalName(fileName),
                SourceFormat = info.Extension,
                ContentType = info.ContentType,
                Width = info.Width,
                Height = info.Height,
                Length = new FileInfo(temporary).Length,
                Sha256 = sha,
                UploadedAt = time.GetUtcNow().UtcDateTime,
                UploadedById = actor.UserId.Length == 0 ? null : actor.UserId, // empty: the content import
                UploadedByName = actor.Name,
                Kind = MediaKind.Video,
                PosterId = posterId,
                DurationSeconds = info.DurationSeconds,
            };
            item.SetAltText(altText);
            var created = store.Place(temporary, name);
            try
            {
                db.MediaItems.Add(item);
                audit.Add(AuditActions.MediaUploaded, Target(item),
                    $"{item.OriginalName}（视频，{item.Width}×{item.Height}，{FormatDuration(item.DurationSeconds) ?? "时长未知"}，{FormatSize(item.Length)}）");
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is DbUpdateException or OperationCanceledException)
            {
                if (created)
                {
                    store.Delete([store.PathOf(name)]);
                }
                db.ChangeTracker.Clear();
                if (e is DbUpdateException && await db.MediaItems.AsNoTracking().FirstOrDefaultAsync(m => m.Sha256 == sha, CancellationToken.None) is { } twin)
                {
                    return Result<MediaItem>.Unchanged(twin, DuplicateVideoMessage);
                }
                throw;
            }
            logger.LogInformation("Video {StoredName} uploaded by {UserId} from {OriginalName} ({Width}x{Height}, {Duration} s, {Length} bytes)",
                item.StoredName, actor.UserId, item.OriginalName, item.Width, item.Height, item.DurationSeconds, item.Length);
            return Result<MediaItem>.Done(item, "视频已上传。");
        }
        finally
        {
            // Gone already when it was placed; otherwise it is the refused or duplicate upload.
            store.Delete([temporary]);
        }
    }

    /// <summary>The content import's videos (see <see cref="IContentMedia"/>), recorded as the import's, not a person's.</summary>
    public async Task<(string VideoUrl, string? PosterUrl)> ImportVideoAsync(byte[] video, string videoName, byte[]? poster,
        string? posterName, string title, CancellationToken ct)
    {
        var importer = new Actor("", "内容导入", new HashSet<string>());
        MediaItem? image = null;
        if (poster is not null)
        {
            using var posterStream = new MemoryStream(poster, writable: false);
            var posterResult = await UploadAsync(posterStream, poster.Length, posterName, title + "（视频封面）", importer, ct);
            image = posterResult.Value ?? throw new InvalidDataException("poster refused: " + posterResult.Message);
        }
        using var videoStream = new MemoryStream(video, writable: false);
        var result = await UploadVideoAsync(videoStream, video.Length, videoName, title, image?.Id, importer, ct);
        var item = result.Value ?? throw new InvalidDataException(result.Message);
        return (item.Url, image?.Url);
    }

    /// <summary>Sets or clears a video's poster (a library image); allowed to whoever may edit its alt text.</summary>
    public async Task<Result> SetPosterAsync(MediaItem video, int? posterId, Actor actor, CancellationToken ct)
    {
        if (!video.CanEditAltText(actor))
        {
            return Result.Forbidden();
        }
        if (video.Kind != MediaKind.Video)
        {
            return Result.Refused("只有视频可以设置封面。");
        }
        MediaItem? poster = null;
        if (posterId is { } id && (poster = await db.MediaItems.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.Kind == MediaKind.Image, ct)) is null)
        {
            return Result.Refused("选择的视频封面不在媒体库的图片中，请重新选择。");
        }
        if (video.PosterId == posterId)
        {
            return Result.Unchanged("视频封面已保存。");
        }
        video.PosterId = posterId;
        audit.Add(AuditActions.MediaPosterChanged, Target(video), poster is null ? "去掉封面" : $"封面：{poster.OriginalName}（{poster.StoredName}）");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Poster of video {StoredName} set to {PosterId} by {UserId}", video.StoredName, posterId, actor.UserId);
        return Result.Done("视频封面已保存。");
    }

    /// <summary>A running time as 分:秒 (or 时:分:秒); null when unknown.</summary>
    public static string? FormatDuration(double? seconds)
    {
        if (seconds is not { } s || s <= 0 || double.IsNaN(s) || double.IsInfinity(s))
        {
            return null;
        }
        var t = TimeSpan.FromSeconds(Math.Round(s, MidpointRounding.AwayFromZero));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
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
                a.Id, a.Title, a.Status, a.CoverImageUrl, a.VideoPosterUrl, a.VideoUrl, a.BodyHtml,
                Facts = new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt),
                a.UpdatedAt,
            })
            .ToListAsync(ct))
            .Select(a => new
            {
                Usage = new MediaUsage(a.Id, a.Title, a.Status, MediaReferences.UrlUses(a.CoverImageUrl, key),
                    MediaReferences.UrlUses(a.VideoPosterUrl, key), MediaReferences.HtmlUses(a.BodyHtml, key),
                    MediaReferences.UrlUses(a.VideoUrl, key)),
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
                    a.Id, a.Title, a.Status, r.CoverImageUrl, r.VideoPosterUrl, r.VideoUrl, r.BodyMarkdown,
                    Facts = new ArticleFacts(a.Id, a.OwnerId, a.ChannelId, a.Status, a.ReviewLevel, a.PublishedAt, a.OfflineAt),
                    a.UpdatedAt,
                })
            .ToListAsync(ct))
            .Select(r => new
            {
                Usage = new MediaUsage(r.Id, r.Title, r.Status, MediaReferences.UrlUses(r.CoverImageUrl, key),
                    MediaReferences.UrlUses(r.VideoPosterUrl, key), PendingBodyUses(r.BodyMarkdown, key),
                    MediaReferences.UrlUses(r.VideoUrl, key)),
                r.Facts,
                r.UpdatedAt,
            })
            .ToList();
        var rows = live.Concat(pending).Where(r => r.Usage.AsCover || r.Usage.AsPoster || r.Usage.InBody || r.Usage.AsVideo).GroupBy(r => r.Usage.ArticleId)
            .Select(g => g.Aggregate((x, y) => x with
            {
                Usage = x.Usage with
                {
                    AsCover = x.Usage.AsCover || y.Usage.AsCover, AsPoster = x.Usage.AsPoster || y.Usage.AsPoster,
                    InBody = x.Usage.InBody || y.Usage.InBody, AsVideo = x.Usage.AsVideo || y.Usage.AsVideo,
                },
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
        // A video's poster is held by the library itself (the foreign key would refuse the delete anyway).
        var posters = await db.MediaItems.AsNoTracking().Where(m => m.PosterId == item.Id)
            .OrderBy(m => m.Id).Select(m => new PosterUse(m.Id, m.OriginalName)).ToListAsync(ct);
        return new MediaUsages(visible, rows.Count - visible.Count, posters);
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
        var what = item.Kind == MediaKind.Video ? "这段视频" : "这张图片";
        if (usages.Visible.Count + usages.Hidden > 0)
        {
            return Result<MediaUsages>.Conflict(
                $"{what}正被 {usages.Visible.Count + usages.Hidden} 篇稿件使用，不能删除。请先在这些稿件中换掉或删去它。", usages);
        }
        if (usages.PosterOf.Count > 0)
        {
            return Result<MediaUsages>.Conflict(
                $"这张图片是视频“{string.Join("”“", usages.PosterOf.Select(p => p.OriginalName))}”的封面，不能删除。请先给视频换一张封面。", usages);
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
        return Result<MediaUsages>.Done(usages, $"已删除{(item.Kind == MediaKind.Video ? "视频" : "图片")}“{item.OriginalName}”。");
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
