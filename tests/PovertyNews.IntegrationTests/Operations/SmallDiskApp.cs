using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// The shared app with its data folder (database, media, logs) on a 64 MB tmpfs of its own, which a test can fill
/// to the last byte: a real full disk, with the kernel's ENOSPC. Mounting needs root (CI runs as root);
/// <see cref="RootFactAttribute"/> skips the tests elsewhere, and this fixture then uses a plain folder.
/// </summary>
public sealed class SmallDiskApp : SharedNewsApp
{
    private const string Size = "64m";

    public SmallDiskApp() : this(Path.Combine(Path.GetTempPath(), "povertynews-tests", "disk-" + Guid.NewGuid().ToString("N")))
    {
    }

    private SmallDiskApp(string mountPoint) : base(b => b.UseSetting("PovertyNews:DataPath", MountAt(mountPoint)))
    {
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    /// <summary>The filler file <see cref="FillAsync"/> wrote, removed by <see cref="Free"/>.</summary>
    private string Filler => Path.Combine(MountPoint, "filler");

    /// <summary>Writes a file until the file system has no byte left.</summary>
    public async Task FillAsync()
    {
        await using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var chunk in new[] { 1024 * 1024, 4096, 512 })
        {
            var bytes = new byte[chunk];
            try
            {
                while (true)
                {
                    await file.WriteAsync(bytes);
                }
            }
            catch (IOException)
            {
                // Full for this chunk size; the next, smaller one takes what is left.
            }
        }
        Assert.True(new DriveInfo(MountPoint).AvailableFreeSpace < 4096, $"{new DriveInfo(MountPoint).AvailableFreeSpace} bytes still free");
    }

    public void Free() => File.Delete(Filler);

    private static string MountAt(string mountPoint)
    {
        Directory.CreateDirectory(mountPoint);
        if (RootFactAttribute.IsRoot)
        {
            Run("mount", $"-t tmpfs -o size={Size},mode=0755 tmpfs {mountPoint}");
        }
        return mountPoint;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (RootFactAttribute.IsRoot)
        {
            Run("umount", MountPoint);
        }
        Directory.Delete(MountPoint, recursive: true);
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {arguments} failed ({process.ExitCode}): {error}");
        }
    }
}

/// <summary>A test that needs root (to mount a file system): skipped, with the reason, when not run as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root to mount a small tmpfs (CI runs as root): run the tests as root to include the full-disk tests";
        }
    }
}
