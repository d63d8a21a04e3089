using System.Text;

namespace PovertyNews.Web.Import;

/// <summary>
/// Reads the files of an import folder as if the folder were hostile: only regular files inside it, at most
/// <see cref="MaxBytes"/>, strict UTF-8. A symbolic link is followed only when it ends inside the folder, a linked
/// folder is never entered, and a pipe or a device is never opened (opening a pipe waits for a writer; /dev/zero never
/// ends). Every refusal is a reason the report gives with the file's path.
/// </summary>
internal static class ContentFiles
{
    public const long MaxBytes = 2 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The Markdown files under <paramref name="root"/>, walked here rather than by the framework, which follows linked folders.</summary>
    public static List<(string Path, string Relative)> FindMarkdown(string root, Action<string, string> refuse)
    {
        var found = new List<(string, string)>();
        var folders = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false };
        while (folders.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", options))
            {
                var relative = Path.GetRelativePath(root, entry.FullName);
                if (entry is DirectoryInfo directory)
                {
                    if (directory.LinkTarget is not null)
                    {
                        var target = directory.ResolveLinkTarget(returnFinalTarget: true);
                        refuse(relative, target is not null && IsInside(root, target.FullName)
                            ? "a symbolic link to a folder; not followed"
                            : "a symbolic link to a folder outside the import folder; not followed");
                        continue;
                    }
                    folders.Push(directory);
                }
                else if (entry.Name.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                    && !entry.Name.Equals("README.md", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add((entry.FullName, relative));
                }
            }
        }
        return [.. found.OrderBy(f => f.Item2, StringComparer.Ordinal)];
    }

    /// <summary>The file's bytes, or null with the reason it was refused.</summary>
    public static async Task<(byte[]? Bytes, string? Refusal)> ReadBytesAsync(string root, string path, CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !IsInside(root, target.FullName))
            {
                return (null, "a symbolic link to a file outside the import folder; not read");
            }
            info = new FileInfo(target.FullName);
        }
        if (!info.Exists)
        {
            return (null, "not a regular file, or it no longer exists");
        }
        // A pipe, a socket or a device reports no size; a regular file with nothing in it is no article either.
        // Checked before opening: the open itself is what hangs on a pipe.
        if (info.Length == 0)
        {
            return (null, "empty, or not a regular file (a pipe or a device); not opened");
        }
        if (info.Length > MaxBytes)
        {
            return (null, $"larger than {MaxBytes / 1024 / 1024} MB");
        }
        await using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        if (!stream.CanSeek)
        {
            return (null, "not a regular file");
        }
        // The size may have changed since it was looked at: read no more than the limit whatever it says now.
        var buffer = new byte[Math.Min(info.Length, MaxBytes) + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }
        return total > MaxBytes ? (null, $"larger than {MaxBytes / 1024 / 1024} MB") : (buffer[..total], null);
    }

    /// <summary>UTF-8 text, or a refusal: a file in GBK or another encoding would import as garbage.</summary>
    public static string? Decode(byte[] bytes, out string? refusal)
    {
        try
        {
            refusal = null;
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            refusal = "not valid UTF-8 text (save it as UTF-8)";
            return null;
        }
    }

    /// <summary>The file as text, or null with the reason it was refused.</summary>
    public static async Task<(string? Text, string? Refusal)> ReadTextAsync(string root, string path, CancellationToken ct)
    {
        var (bytes, refusal) = await ReadBytesAsync(root, path, ct);
        if (bytes is null)
        {
            return (null, refusal);
        }
        var text = Decode(bytes, out refusal);
        return (text, refusal);
    }

    private static bool IsInside(string root, string path)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(fullRoot, StringComparison.Ordinal);
    }
}
