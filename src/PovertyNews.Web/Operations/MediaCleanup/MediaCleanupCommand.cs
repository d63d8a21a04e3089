using System.Globalization;

namespace PovertyNews.Web.Operations.MediaCleanup;

/// <summary><c>media-cleanup [--dry-run]</c>: what the background job does, now, listing each file with its size.</summary>
public static class MediaCleanupCommand
{
    public const string Usage =
        """
        usage: media-cleanup [--dry-run]
          Deletes media files that no media row owns (left by killed uploads) and temporary upload files, both only
          when older than PovertyNews:MediaCleanup:MinimumAge (1 hour); lists media rows whose file is missing
          (never deleted). --dry-run lists what would be deleted, with sizes, and deletes nothing.
          清理孤立的媒体文件和上传临时文件；--dry-run 只列出将删除的文件。
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 1 || args.Length == 1 && args[0] != "--dry-run")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var dryRun = args.Length == 1;
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<MediaCleaner>().RunAsync(dryRun, CancellationToken.None);
        if (report.Refused is { } reason)
        {
            await error.WriteLineAsync($"media-cleanup: nothing done: {reason}");
            return 1;
        }
        var verb = dryRun ? "would delete" : "deleted";
        foreach (var file in report.Files)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{verb}  {file.Bytes,12:N0} bytes  {file.Reason.ToString().ToLowerInvariant(),-9}  {file.Path}"));
        }
        foreach (var path in report.Failed)
        {
            await output.WriteLineAsync($"could not delete  {path}");
        }
        foreach (var row in report.Missing)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"missing file (row kept)  media {row.Id}  {row.StoredName}"));
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{report.Files.Count} files, {report.Bytes:N0} bytes {(dryRun ? "would be deleted" : "deleted")}; {report.Missing.Count} media rows without their file"));
        return 0;
    }
}
