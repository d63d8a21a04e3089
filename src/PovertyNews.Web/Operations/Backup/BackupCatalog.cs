using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>An archive in the backups folder: its manifest when readable, otherwise why not.</summary>
public sealed record BackupArchive(string Name, string Path, long Size, DateTimeOffset CreatedAt, BackupManifest? Manifest)
{
    /// <summary>Made by the schedule (and so subject to retention), not by hand.</summary>
    public bool Scheduled => BackupCatalog.IsScheduledName(Name);

    /// <summary>The manifest could be read; a full check is <c>backup --verify</c>.</summary>
    public bool Readable => Manifest is not null;
}

/// <summary>One run of the scheduled backup, successful or not.</summary>
public sealed record BackupAttempt(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Succeeded, string File, long? Size, string? Error);

/// <summary>For a status page: the schedule, the newest readable archive and the last attempt.</summary>
public sealed record BackupOverview(
    bool ScheduleEnabled,
    DateTimeOffset? NextRun,
    string Folder,
    BackupArchive? LastGood,
    BackupAttempt? LastAttempt,
    int ArchiveCount,
    long TotalBytes);

/// <summary>
/// The read side of backups, for the admin status page: the archives in the backups folder with their manifests,
/// newest first, and the last scheduled attempt (kept in <c>last-attempt.json</c> in that folder, so it survives a
/// restart). Reading a manifest needs only the zip's directory, and each is read once per file version.
/// </summary>
public sealed class BackupCatalog(IOptions<BackupOptions> options, BackupScheduleState schedule)
{
    internal const string ScheduledPrefix = "povertynews-";
    internal const string AttemptFile = "last-attempt.json";

    private readonly ConcurrentDictionary<string, (long Size, DateTime Written, BackupManifest? Manifest)> _manifests = new();

    public string Folder => options.Value.Folder!;

    /// <summary>The <c>.zip</c> files of the backups folder, newest first.</summary>
    public IReadOnlyList<BackupArchive> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }
        var archives = new List<BackupArchive>();
        foreach (var info in new DirectoryInfo(Folder).EnumerateFiles("*.zip"))
        {
            if (info.Name.StartsWith('.'))
            {
                continue;
            }
            var manifest = ManifestOf(info);
            archives.Add(new BackupArchive(info.Name, info.FullName, info.Length,
                manifest?.CreatedAt ?? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), manifest));
        }
        foreach (var gone in _manifests.Keys.Where(k => archives.All(a => a.Path != k)))
        {
            _manifests.TryRemove(gone, out _);
        }
        return archives.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Name, StringComparer.Ordinal).ToList();
    }

    public BackupOverview GetOverview()
    {
        var archives = List();
        return new BackupOverview(options.Value.Enabled, schedule.NextRun, Folder, archives.FirstOrDefault(a => a.Readable),
            LastAttempt(), archives.Count, archives.Sum(a => a.Size));
    }

    /// <summary>The last scheduled attempt, or null when none was recorded.</summary>
    public BackupAttempt? LastAttempt()
    {
        var path = Path.Combine(Folder, AttemptFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<BackupAttempt>(File.ReadAllBytes(path), BackupManifest.Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    internal void RecordAttempt(BackupAttempt attempt)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, AttemptFile);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(attempt, BackupManifest.Json));
        File.Move(temporary, path, overwrite: true);
    }

    internal static bool IsScheduledName(string name) =>
        name.StartsWith(ScheduledPrefix, StringComparison.Ordinal) && name.EndsWith(".zip", StringComparison.Ordinal);

    private BackupManifest? ManifestOf(FileInfo info)
    {
        if (_manifests.TryGetValue(info.FullName, out var cached) && cached.Size == info.Length && cached.Written == info.LastWriteTimeUtc)
        {
            return cached.Manifest;
        }
        var manifest = BackupArchiveReader.ReadManifest(info.FullName);
        _manifests[info.FullName] = (info.Length, info.LastWriteTimeUtc, manifest);
        return manifest;
    }
}

/// <summary>When the scheduler will run next (null while it is off or busy).</summary>
public sealed class BackupScheduleState
{
    private long _nextRunTicks = -1;

    public DateTimeOffset? NextRun
    {
        get => Interlocked.Read(ref _nextRunTicks) is var t and >= 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
        internal set => Interlocked.Exchange(ref _nextRunTicks, value?.UtcTicks ?? -1);
    }
}
