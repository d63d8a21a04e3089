using System.Runtime.InteropServices;

namespace PovertyNews.Web.Media;

/// <summary>
/// Keeps the image buffers Skia allocates from lingering in the process after an upload. Skia takes them from the C
/// library's malloc: a decoded 12-megapixel photo is 48 MB, its halved copies 12 MB, 3 MB and so on. glibc serves
/// blocks above its mmap threshold (128 KB) with their own mappings and unmaps them on free, but each time it frees
/// such a block it raises the threshold to that block's size (up to 32 MB); from then on 12 MB buffers come from its
/// heaps, which keep what is freed for reuse and, spread over the threads' arenas, hardly ever reuse it whole. Measured
/// on the published app: six sequential 10 MB uploads took the resident set from 190 to 427 MB (and as far with the
/// GC heap capped at 128 MB: this is not managed memory); with the threshold fixed, to 265 MB, and it levels off.
/// Setting it once turns the adjustment off. Elsewhere (Windows, macOS, musl) nothing is done.
/// </summary>
internal static class NativeHeap
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in malloc.h
    public const int MmapThreshold = 128 * 1024;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True when glibc accepted the fixed threshold; applied once per process.</summary>
    public static bool KeepLargeBuffersMapped() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return MallOpt(MmapThresholdParameter, MmapThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt", ExactSpelling = true)]
    private static extern int MallOpt(int parameter, int value);
}
