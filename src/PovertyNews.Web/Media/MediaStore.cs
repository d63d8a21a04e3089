using PovertyNews.Web.Domain;
namespace PovertyNews.Web.Media;

/// <summary>
/// The library's folder (outside wwwroot). Files are written to a hidden temporary folder first and then moved into
/// place, so a reader never sees half a file and a failed upload leaves nothing under a real name.
/// </summary>
public sealed class MediaStore
{
    private const string TemporaryFolderName = ".tmp";

    public MediaStore(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(TemporaryFolder);
    }

    public string Folder { get; }

    /// <summary>Files on their way in (hidden from serving); what a crash leaves here is swept by age.</summary>
    public string TemporaryFolder => Path.Combine(Folder, TemporaryFolderName);

    public string PathOf(MediaName name) => Path.Combine(Folder, name.FileName);

    /// <summary>
    /// Writes the files and returns the paths it created. A name that exists already is left alone (same name, same
    /// content) and not returned, so undoing this save with <see cref="Delete"/> never removes someone else's file.
    /// </summary>
    public IReadOnlyList<string> Save(IEnumerable<(MediaName Name, SkiaSharp.SKData Content)> files)
    {
        var temporary = new List<(string Temp, string Final)>();
        var created = new List<string>();
        try
        {
            foreach (var (name, content) in files)
            {
                var temp = Path.Combine(TemporaryFolder, Guid.NewGuid().ToString("N"));
                temporary.Add((temp, PathOf(name)));
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
                stream.Write(content.AsSpan());
                stream.Flush(flushToDisk: true);
            }
            foreach (var (temp, final) in temporary)
            {
                if (File.Exists(final))
                {
                    File.Delete(temp);
                    // The same image again: its file is in use from now on, so a cleanup that goes by age (files
                    // without a row, e.g. after a killed upload) must not take it while this upload's row is written.
                    File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
                    continue;
                }
                try
                {
                    File.Move(temp, final, overwrite: false);
                    created.Add(final);
                }
                catch (IOException) when (File.Exists(final))
                {
                    File.Delete(temp); // another request stored the same image a moment ago
                }
            }
            return created;
        }
        catch
        {
            Delete(created);
            Delete(temporary.Select(t => t.Temp));
            throw;
        }
    }

    /// <summary>
    /// A new file in the temporary folder for an upload on its way in, deleted when the stream is closed: the upload is
    /// copied here and decoded from here, so a large body is never held in memory, and an aborted one leaves nothing.
    /// </summary>
    public FileStream CreateTemporaryFile() =>
        new(Path.Combine(TemporaryFolder, "upload-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.DeleteOnClose); // the copy writes whole pieces

    /// <summary>A path in the temporary folder for an upload kept as it is (a video); the caller deletes or places it.</summary>
    public string CreateTemporaryPath() => Path.Combine(TemporaryFolder, "upload-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Moves a finished temporary file to its name. False when the name exists already (the same content, stored a
    /// moment ago): the temporary file is then removed, and the existing file is left alone.
    /// </summary>
    public bool Place(string temporaryPath, MediaName name)
    {
        var final = PathOf(name);
        try
        {
            File.Move(temporaryPath, final, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(final))
        {
            File.Delete(temporaryPath);
            File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
            return false;
        }
    }

    /// <summary>The image and every rendition of it (they share <see cref="MediaName.Key"/>).</summary>
    public IReadOnlyList<string> FilesOf(string key) =>
        Directory.EnumerateFiles(Folder, key + "*", SearchOption.TopDirectoryOnly)
            .Where(path => MediaName.TryParse(Path.GetFileName(path), out var name) && name.Value.Key == key)
            .ToList();

    /// <summary>The stored original of <paramref name="key"/>, whatever its format; null when there is none.</summary>
    public string? OriginalOf(string key) => FilesOf(key).FirstOrDefault(path =>
        MediaName.TryParse(Path.GetFileName(path), out var name) && !name.Value.IsRendition);

    /// <summary>Removes files, best effort: a file that cannot be removed now is harmless and is reported by the caller.</summary>
    public List<string> Delete(IEnumerable<string> paths)
    {
        var failed = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add(path);
            }
        }
        return failed;
    }

    /// <summary>Temporary files of uploads that a crash interrupted; called at start.</summary>
    public int SweepTemporaryFiles(DateTime olderThanUtc)
    {
        var removed = 0;
        foreach (var file in new DirectoryInfo(TemporaryFolder).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < olderThanUtc && Delete([file.FullName]).Count == 0)
            {
                removed++;
            }
        }
        return removed;
    }
}
