using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>What checking an archive found: its manifest (when readable) and every problem, none when it is sound.</summary>
public sealed record BackupCheck(BackupManifest? Manifest, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0 && Manifest is not null;
}

/// <summary>
/// Checks an archive against its manifest: every entry's size and SHA-256, nothing missing and nothing extra, then the
/// database copy with <c>PRAGMA integrity_check</c> and its row counts. Optionally unpacks it while checking.
/// </summary>
internal static class BackupArchiveReader
{
    /// <summary>The manifest alone, read from the archive's directory without unpacking anything else.</summary>
    public static BackupManifest? ReadManifest(string file)
    {
        try
        {
            using var zip = ZipFile.OpenRead(file);
            if (zip.GetEntry(BackupManifest.EntryName) is not { } entry)
            {
                return null;
            }
            using var stream = entry.Open();
            return BackupManifest.Parse(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks <paramref name="file"/>; with <paramref name="extractTo"/> (an empty folder) its files are written there
    /// as they are checked, otherwise only the database is unpacked, into a temporary folder removed afterwards.
    /// </summary>
    public static async Task<BackupCheck> CheckAsync(string file, BackupTables tables, string? extractTo, CancellationToken ct)
    {
        var problems = new List<string>();
        var scratch = extractTo is null ? Path.Combine(Path.GetTempPath(), "povertynews-verify-" + Guid.NewGuid().ToString("N")) : null;
        var folder = extractTo ?? scratch!;
        try
        {
            ZipArchive zip;
            try
            {
                zip = ZipFile.OpenRead(file);
            }
            catch (InvalidDataException e)
            {
                return new(null, [$"not a complete zip archive (truncated or damaged): {e.Message}"]);
            }
            using (zip)
            {
                BackupManifest? manifest = null;
                if (zip.GetEntry(BackupManifest.EntryName) is { } manifestEntry)
                {
                    try
                    {
                        await using var stream = manifestEntry.Open();
                        manifest = BackupManifest.Parse(stream);
                    }
                    catch (InvalidDataException e)
                    {
                        problems.Add($"{BackupManifest.EntryName} cannot be read: {e.Message}");
                    }
                }
                if (manifest is null)
                {
                    problems.Add($"no readable {BackupManifest.EntryName}: this is not a PovertyNews backup, or it is damaged");
                    return new(null, problems);
                }

                var expected = new Dictionary<string, BackupFile>(StringComparer.Ordinal);
                foreach (var f in manifest.Files)
                {
                    if (!IsSafeName(f.Path) || !expected.TryAdd(f.Path, f))
                    {
                        problems.Add($"the manifest lists an unusable or repeated path '{f.Path}'");
                    }
                }
                if (!expected.ContainsKey(manifest.DatabaseEntryName))
                {
                    problems.Add($"the manifest lists no {manifest.DatabaseEntryName}");
                }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in zip.Entries)
                {
                    if (entry.FullName == BackupManifest.EntryName)
                    {
                        continue;
                    }
                    if (!expected.TryGetValue(entry.FullName, out var listed))
                    {
                        problems.Add($"{entry.FullName}: in the archive but not in the manifest");
                        continue;
                    }
                    if (!seen.Add(entry.FullName))
                    {
                        problems.Add($"{entry.FullName}: twice in the archive");
                        continue;
                    }
                    var write = extractTo is not null || entry.FullName == manifest.DatabaseEntryName;
                    if (await CheckEntryAsync(entry, listed, write ? Path.Combine(folder, entry.FullName) : null, ct) is { } problem)
                    {
                        problems.Add($"{entry.FullName}: {problem}");
                    }
                }
                foreach (var missing in expected.Keys.Where(p => !seen.Contains(p)))
                {
                    problems.Add($"{missing}: in the manifest but missing from the archive");
                }
                if (problems.Count == 0)
                {
                    var database = Path.Combine(folder, manifest.DatabaseEntryName);
                    problems.AddRange(manifest.IsPostgres
                        ? await PostgresDump.CheckAsync(database, manifest, tables, ct)
                        : await CheckDatabaseAsync(database, manifest, tables, ct));
                }
                return new(manifest, problems);
            }
        }
        finally
        {
            if (scratch is not null && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Relative, forward slashes, no empty, <c>.</c> or <c>..</c> segments, under a known top level.</summary>
    internal static bool IsSafeName(string name)
    {
        if (name is BackupManifest.DatabaseEntry or BackupManifest.PostgresDumpEntry)
        {
            return true;
        }
        if (!name.StartsWith(BackupManifest.MediaPrefix, StringComparison.Ordinal) && !name.StartsWith(BackupManifest.KeysPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        return !name.Contains('\\') && !name.Contains('\0') && !name.Contains(':')
            && name.Split('/').All(segment => segment is { Length: > 0 } and not "." and not "..");
    }

    private static async Task<string?> CheckEntryAsync(ZipArchiveEntry entry, BackupFile listed, string? writeTo, CancellationToken ct)
    {
        FileStream? target = null;
        if (writeTo is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(writeTo)!);
            target = new FileStream(writeTo, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var source = entry.Open())
            {
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                    if (size > listed.Size)
                    {
                        return $"longer than the {listed.Size:N0} bytes the manifest gives";
                    }
                    if (target is not null)
                    {
                        await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    }
                }
            }
            if (size != listed.Size)
            {
                return $"{size:N0} bytes, the manifest gives {listed.Size:N0}";
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, listed.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"SHA-256 {actual} differs from the manifest's {listed.Sha256}: the file was changed or damaged";
            }
            if (target is not null)
            {
                await target.FlushAsync(ct);
                target.Flush(flushToDisk: true);
            }
            return null;
        }
        catch (InvalidDataException e)
        {
            return $"cannot be unpacked (damaged): {e.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (target is not null)
            {
                await target.DisposeAsync();
            }
        }
    }

    private static async Task<IReadOnlyList<string>> CheckDatabaseAsync(string path, BackupManifest manifest, BackupTables tables, CancellationToken ct)
    {
        var problems = new List<string>();
        try
        {
            await using var copy = SqliteCopy.Open(path);
            problems.AddRange((await SqliteCopy.IntegrityProblemsAsync(copy, ct)).Select(p => "integrity check: " + p));
            if (problems.Count > 0)
            {
                return problems;
            }
            var counts = await SqliteCopy.CountAsync(copy, tables, ct);
            if (counts != manifest.Counts)
            {
                problems.Add($"the database holds {counts}, the manifest gives {manifest.Counts}");
            }
            var schema = await SqliteCopy.SchemaAsync(copy, ct);
            if (schema != manifest.Schema)
            {
                problems.Add($"the database's last migration is {schema ?? "(none)"}, the manifest gives {manifest.Schema ?? "(none)"}");
            }
        }
        catch (SqliteException e)
        {
            problems.Add($"the database copy cannot be read: {e.Message}");
        }
        return problems;
    }
}
