using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Creates, writes, flushes and deletes a small file in a folder the site writes to. Permissions alone would not
/// show a read-only mount, a folder replaced by a file, or a disk too full to take a block.
/// </summary>
public sealed class FolderWritableHealthCheck(string label, string folder) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A dot-file: never served (static files skip them) and never taken for an upload.
        var probe = Path.Combine(folder, $".health-probe-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(probe);
            return HealthCheckResult.Healthy($"The {label} is writable.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            // The exception's message may name the path; the description names the folder by its role only.
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The {label} is not writable ({e.GetType().Name}).", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Free space on the disks of the data and media folders, against <see cref="HealthOptions.MinimumFreeDiskMegabytes"/>.</summary>
public sealed class DiskSpaceHealthCheck(IReadOnlyList<(string Label, string Folder)> folders, long minimumFreeMegabytes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var parts = new List<string>();
        var low = false;
        foreach (var (label, folder) in folders)
        {
            long freeMegabytes;
            try
            {
                freeMegabytes = new DriveInfo(folder).AvailableFreeSpace / (1024 * 1024);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                    $"Free space of the {label}'s disk could not be read ({e.GetType().Name}).", e));
            }
            low |= freeMegabytes < minimumFreeMegabytes;
            parts.Add($"{label}: {freeMegabytes:N0} MB free");
        }
        var description = $"{string.Join("; ", parts)} (minimum {minimumFreeMegabytes:N0} MB).";
        return Task.FromResult(low
            ? new HealthCheckResult(context.Registration.FailureStatus, "Disk nearly full: " + description)
            : HealthCheckResult.Healthy(description));
    }
}
