using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Media;

namespace PovertyNews.Web.Operations.MediaCleanup;

public enum CleanupReason
{
    /// <summary>An image file (or a rendition) whose key no MediaItem row has: left by an upload killed before its row.</summary>
    Orphan,

    /// <summary>A file in <c>media/.tmp</c>: an upload's copy or a half-written file that a crash left.</summary>
    Temporary,
}

public sealed record CleanupFile(string Path, long Bytes, CleanupReason Reason);

/// <summary>A MediaItem whose stored original is not on disk: reported only, since the row may still be fixed by hand.</summary>
public sealed record MissingMediaFile(int Id, string StoredName);

/// <param name="Refused">Why nothing was looked at (the database is not ready or has no media rows while files exist).</param>
public sealed record CleanupReport(IReadOnlyList<CleanupFile> Files, IReadOnlyList<MissingMediaFile> Missing,
    IReadOnlyList<string> Failed, bool DryRun, string? Refused = null)
{
    public long Bytes => Files.Sum(f => f.Bytes);
}

/// <summary>
/// Finds (and unless dry-running, deletes) media files no row owns and temporary files of dead uploads, both older
/// than <see cref="MediaCleanupOptions.MinimumAge"/>. What a row owns is decided by the key its stored name shares with
/// the image's renditions (see <see cref="MediaName"/>); files whose names are not library names are never touched.
/// </summary>
public sealed class MediaCleaner(NewsDbContext db, MediaStore store, TimeProvider time, IOptions<MediaCleanupOptions> options,
    ILogger<MediaCleaner> logger)
{
    public async Task<CleanupReport> RunAsync(bool dryRun, CancellationToken ct)
    {
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            return new([], [], [], dryRun, "the database is not set up (pending migrations); start the site once first");
        }
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.MinimumAge;
        var rows = await db.MediaItems.AsNoTracking().Select(m => new { m.Id, m.StoredName }).ToListAsync(ct);
        var keys = rows.Select(r => MediaName.TryParse(r.StoredName, out var name) ? name.Value.Key : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

        var orphans = new DirectoryInfo(store.Folder).EnumerateFiles()
            .Where(f => MediaName.TryParse(f.Name, out var name) && !keys.Contains(name.Value.Key) && f.LastWriteTimeUtc < cutoff)
            .Select(f => new CleanupFile(f.FullName, f.Length, CleanupReason.Orphan)).ToList();
        if (rows.Count == 0 && orphans.Count > 0)
        {
            // Every image without a row at once is what a wrong database (another data folder, a restore gone wrong)
            // looks like, not what killed uploads leave.
            return new([], [], [], dryRun, $"the database has no media rows but the folder has {orphans.Count} image files; check the configured database and media folder");
        }
        var temporary = new DirectoryInfo(store.TemporaryFolder) is { Exists: true } tmp
            ? tmp.EnumerateFiles().Where(f => f.LastWriteTimeUtc < cutoff).Select(f => new CleanupFile(f.FullName, f.Length, CleanupReason.Temporary)).ToList()
            : [];
        var missing = rows.Where(r => !File.Exists(Path.Combine(store.Folder, r.StoredName)))
            .Select(r => new MissingMediaFile(r.Id, r.StoredName)).ToList();
        var files = orphans.Concat(temporary).ToList();

        var failed = new List<string>();
        if (!dryRun && files.Count > 0)
        {
            // Looked at again just before deleting: an upload of the same image may have made a row since.
            var owned = await OwnedKeysAsync(orphans, ct);
            files = files.Where(f => f.Reason != CleanupReason.Orphan || !owned.Contains(KeyOf(f))).ToList();
            failed = store.Delete(files.Where(f => File.GetLastWriteTimeUtc(f.Path) < cutoff).Select(f => f.Path));
            files = files.Where(f => !failed.Contains(f.Path)).ToList();
        }
        if (files.Count > 0 || missing.Count > 0 || failed.Count > 0)
        {
            logger.LogWarning("Media cleanup {Mode}: {Orphans} orphan files and {Temporary} temporary files ({Bytes} bytes), {Failed} not removable; {Missing} media rows without their file: {MissingNames}",
                dryRun ? "dry run" : "removed", files.Count(f => f.Reason == CleanupReason.Orphan), files.Count(f => f.Reason == CleanupReason.Temporary),
                files.Sum(f => f.Bytes), failed.Count, missing.Count, missing.Select(m => m.StoredName).Take(20).ToList());
        }
        return new(files, missing, failed, dryRun);
    }

    private async Task<HashSet<string>> OwnedKeysAsync(List<CleanupFile> orphans, CancellationToken ct)
    {
        var candidates = orphans.Select(KeyOf).Distinct().ToList();
        var stored = await db.MediaItems.AsNoTracking().Select(m => m.StoredName).ToListAsync(ct);
        return stored.Select(s => MediaName.TryParse(s, out var n) ? n.Value.Key : null).OfType<string>()
            .Where(candidates.Contains).ToHashSet(StringComparer.Ordinal);
    }

    private static string KeyOf(CleanupFile file) =>
        MediaName.TryParse(Path.GetFileName(file.Path), out var name) ? name.Value.Key : "";
}
