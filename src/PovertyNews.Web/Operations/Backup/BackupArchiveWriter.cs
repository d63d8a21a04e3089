using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>An archive made, with what it holds and how long it took.</summary>
public sealed record BackupResult(string File, long Size, BackupManifest Manifest, TimeSpan Elapsed);

/// <summary>
/// Writes one zip archive: the database copy, the media files, the keys, and the manifest last. Zip, not tar.gz,
/// because its directory at the end lets the catalog read a manifest without unpacking the database, and a
/// truncated file lacks that directory, so it never passes for a complete archive.
/// </summary>
internal static class BackupArchiveWriter
{
    private const string TemporaryMediaFolder = ".tmp";

    public static async Task<BackupResult> WriteAsync(BackupLayout layout, BackupTables tables, string file, string? appVersion,
        TimeProvider time, Func<Task>? afterSnapshot, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var target = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        if (File.Exists(target))
        {
            throw new BackupException($"{target} exists already; choose another name");
        }
        // Hidden names that do not end in .zip: a killed backup leaves nothing that looks like an archive.
        var stem = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}");
        var partial = stem + ".partial";
        var databaseCopy = stem + (layout.PostgresConnection is null ? ".db" : ".pgdump");
        try
        {
            var createdAt = time.GetUtcNow();
            BackupCounts counts;
            string? schema;
            string? provider = null;
            var databaseEntry = BackupManifest.DatabaseEntry;
            if (layout.PostgresConnection is { } connection)
            {
                (counts, schema) = await PostgresDump.DumpAsync(connection, databaseCopy, tables, ct);
                provider = BackupManifest.PostgreSqlProvider;
                databaseEntry = BackupManifest.PostgresDumpEntry;
            }
            else
            {
                await SqliteCopy.CopyAsync(layout.DatabaseFile, databaseCopy, ct);
                await using var copy = SqliteCopy.Open(databaseCopy);
                counts = await SqliteCopy.CountAsync(copy, tables, ct);
                schema = await SqliteCopy.SchemaAsync(copy, ct);
            }
            if (afterSnapshot is not null)
            {
                await afterSnapshot();
            }

            var files = new List<BackupFile>();
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    // pg_dump's custom format is compressed already.
                    files.Add(await AddAsync(zip, databaseEntry, databaseCopy,
                            provider is null ? CompressionLevel.Fastest : CompressionLevel.NoCompression, ct)
                        ?? throw new BackupException("the database copy disappeared while it was archived"));
                    // Images are compressed already; storing them costs no processor and lets a damaged byte be found.
                    foreach (var (path, name) in FilesUnder(layout.MediaFolder, BackupManifest.MediaPrefix, skip: TemporaryMediaFolder))
                    {
                        if (await AddAsync(zip, name, path, CompressionLevel.NoCompression, ct) is { } added)
                        {
                            files.Add(added);
                        }
                    }
                    foreach (var (path, name) in FilesUnder(layout.KeysFolder, BackupManifest.KeysPrefix, skip: null))
                    {
                        if (await AddAsync(zip, name, path, CompressionLevel.Optimal, ct) is { } added)
                        {
                            files.Add(added);
                        }
                    }
                    var manifest = new BackupManifest(BackupManifest.CurrentFormat, createdAt, appVersion, schema, counts, files, provider);
                    var entry = zip.CreateEntry(BackupManifest.EntryName, CompressionLevel.Optimal);
                    entry.LastWriteTime = createdAt;
                    await using var manifestStream = entry.Open();
                    await manifestStream.WriteAsync(manifest.ToJson(), ct);
                }
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(partial, target, overwrite: false);
            var size = new FileInfo(target).Length;
            return new BackupResult(target, size,
                new BackupManifest(BackupManifest.CurrentFormat, createdAt, appVersion, schema, counts, files, provider), watch.Elapsed);
        }
        finally
        {
            DeleteQuietly(partial);
            DeleteQuietly(databaseCopy);
            DeleteQuietly(databaseCopy + "-journal");
        }
    }

    /// <summary>Files below <paramref name="folder"/> with their names in the archive, in a stable order.</summary>
    private static IEnumerable<(string Path, string Name)> FilesUnder(string folder, string prefix, string? skip)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(f => skip is null || !(f.Relative == skip || f.Relative.StartsWith(skip + "/", StringComparison.Ordinal)))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => (f.Path, prefix + f.Relative));
    }

    /// <summary>Copies one file into the archive, hashing exactly the bytes written; null when it was deleted meanwhile.</summary>
    private static async Task<BackupFile?> AddAsync(ZipArchive zip, string name, string path, CompressionLevel level, CancellationToken ct)
    {
        FileStream source;
        try
        {
            source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // a media file deleted after the database copy was taken: the copy does not know it either
        }
        await using (source)
        {
            var entry = zip.CreateEntry(name, level);
            entry.LastWriteTime = File.GetLastWriteTimeUtc(path) is var written && written.Year >= 1980 ? written : DateTime.UtcNow;
            await using var target = entry.Open();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            long size = 0;
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return new BackupFile(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
    }

    internal static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
