using System.Reflection;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// Makes, checks and restores backup archives of the running configuration's files (<see cref="BackupLayout"/>).
/// Used by the <c>backup</c> and <c>restore</c> commands and the daily <see cref="BackupScheduler"/>.
/// </summary>
public sealed class BackupService(IServiceProvider services, BackupDataPath dataPath, TimeProvider time)
{
    private readonly Lazy<BackupLayout> _layout = new(() => BackupLayout.Configured(services, dataPath.Value));
    private readonly Lazy<BackupTables> _tables = new(() => BackupTables.From(services));
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The files a backup takes.</summary>
    public BackupLayout Layout => _layout.Value;

    /// <summary>The app's version as the build stamped it (with the commit when the build knew it).</summary>
    public static string? AppVersion { get; } =
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>
    /// Writes an archive of the site to <paramref name="file"/> (which must not exist) while the site goes on serving
    /// and saving. Only one backup of this process runs at a time.
    /// </summary>
    public Task<BackupResult> CreateAsync(string file, CancellationToken ct = default) => CreateAsync(file, afterSnapshot: null, ct);

    /// <summary><paramref name="afterSnapshot"/> runs once the database copy is taken, before the files are archived (for tests).</summary>
    internal async Task<BackupResult> CreateAsync(string file, Func<Task>? afterSnapshot, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            return await BackupArchiveWriter.WriteAsync(Layout, _tables.Value, file, AppVersion, time, afterSnapshot, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Checks every file against the manifest and the database copy with an integrity check.</summary>
    public Task<BackupCheck> VerifyAsync(string file, CancellationToken ct = default) =>
        BackupArchiveReader.CheckAsync(file, _tables.Value, extractTo: null, ct);

    /// <summary>
    /// Restores <paramref name="file"/> into <paramref name="target"/> (the configured files when null), which must
    /// hold no database. The archive is unpacked into a hidden folder beside the database and checked there in full;
    /// only a sound archive is moved into place, the database last, so an interrupted or refused restore never leaves
    /// a database behind.
    /// </summary>
    public async Task<BackupRestore> RestoreAsync(string file, BackupLayout? target = null, CancellationToken ct = default)
    {
        target ??= Layout;
        if (target.PostgresConnection is { } connection)
        {
            if (await PostgresDump.ContentsAsync(connection, ct) is { } contents)
            {
                return BackupRestore.Refused(
                    $"the {target.DatabaseLocation} holds {contents}: restore only into an empty database (CREATE DATABASE a new one, or drop the old one first)");
            }
        }
        else
        {
            foreach (var existing in new[] { target.DatabaseFile, target.DatabaseFile + "-wal" })
            {
                if (File.Exists(existing))
                {
                    return BackupRestore.Refused(
                        $"{existing} exists: restore only into a data folder without a database (move the old one aside first)");
                }
            }
        }
        var folder = Path.GetDirectoryName(target.DatabaseFile)!;
        Directory.CreateDirectory(folder);
        var staging = Path.Combine(folder, ".restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var check = await BackupArchiveReader.CheckAsync(file, _tables.Value, staging, ct);
            if (!check.Ok)
            {
                return BackupRestore.Damaged(check);
            }
            if (check.Manifest!.IsPostgres != target.PostgresConnection is not null)
            {
                return BackupRestore.Refused(check.Manifest.IsPostgres
                    ? "the archive holds a PostgreSQL dump and this site runs on SQLite: restore it with PovertyNews:Database:Provider=PostgreSql and an empty database"
                    : "the archive holds an SQLite database and this site runs on PostgreSQL: restore it on SQLite, then move the site with copy-to");
            }
            var known = BackupTables.KnownMigrations(services);
            if (check.Manifest!.Schema is { } schema && !known.Contains(schema))
            {
                return BackupRestore.Refused(
                    $"the archive's schema ({schema}) is newer than this version of the app knows; restore it with the version that made it ({check.Manifest.AppVersion ?? "unknown"})");
            }

            MoveTree(Path.Combine(staging, "media"), target.MediaFolder, secret: false);
            MoveTree(Path.Combine(staging, BackupLayout.KeysFolderName), target.KeysFolder, secret: true);
            // Last, and never over a database that appeared meanwhile: its presence means the restore is complete.
            if (target.PostgresConnection is { } postgres)
            {
                // One transaction: a failed restore leaves the database as empty as it was.
                try
                {
                    await PostgresDump.RestoreAsync(postgres, Path.Combine(staging, BackupManifest.PostgresDumpEntry), ct);
                }
                catch (BackupException e)
                {
                    return BackupRestore.Refused(e.Message);
                }
            }
            else
            {
                File.Move(Path.Combine(staging, BackupManifest.DatabaseEntry), target.DatabaseFile, overwrite: false);
            }
            return BackupRestore.Done(check.Manifest);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Moves every file below <paramref name="from"/> to the same place below <paramref name="to"/>. A file there
    /// already (from an interrupted restore) is replaced: media names are their content's, key names are unique.
    /// </summary>
    private static void MoveTree(string from, string to, bool secret)
    {
        if (!Directory.Exists(from))
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (secret && !OperatingSystem.IsWindows())
            {
                // As the framework writes its key files: readable by their owner only.
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            File.Move(path, destination, overwrite: true);
        }
    }
}

/// <summary>How a restore ended: done, refused (a folder that is not empty, a newer schema) or a damaged archive.</summary>
public sealed record BackupRestore(bool Succeeded, BackupManifest? Manifest, IReadOnlyList<string> Problems)
{
    public static BackupRestore Done(BackupManifest manifest) => new(true, manifest, []);

    public static BackupRestore Refused(string problem) => new(false, null, [problem]);

    public static BackupRestore Damaged(BackupCheck check) => new(false, check.Manifest, check.Problems);
}

/// <summary>The app's data folder, as the host resolved it.</summary>
public sealed record BackupDataPath(string Value);
