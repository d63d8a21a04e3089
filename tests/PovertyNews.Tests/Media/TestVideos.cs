using System.Buffers.Binary;
using System.Text;

namespace PovertyNews.Tests.Media;

/// <summary>
/// Small video files for tests. MP4: the box structure an encoder writes (ftyp, moov with mvhd, trak with tkhd and
/// mdia/hdlr, mdat), laid out byte by byte as ISO/IEC 14496-12 says; there is no encoder on the test machines, and
/// only the container is read. WebM: the project's own writer (the sample clips are made with it and play in Chromium).
/// </summary>
public static class TestVideos
{
    /// <param name="brand">The ftyp major brand.</param>
    /// <param name="handler">The track's handler: vide for video, soun for audio.</param>
    /// <param name="moovLast">Put moov after mdat (what a camera writes), so the reader has to seek past the media.</param>
    /// <param name="version1">64-bit mvhd/tkhd fields (version 1 boxes).</param>
    public static byte[] Mp4(uint timescale = 1000, ulong duration = 12_500, int width = 1280, int height = 720, string brand = "isom",
        string handler = "vide", bool moovLast = false, bool version1 = false, int mdatBytes = 4096)
    {
        var ftyp = Box("ftyp", [.. Ascii(brand), .. U32(512), .. Ascii("isom"), .. Ascii("iso2"), .. Ascii("mp41")]);
        var mvhd = Box("mvhd", version1
            ? [1, 0, 0, 0, .. U64(0), .. U64(0), .. U32(timescale), .. U64(duration), .. new byte[80]]
            : [0, 0, 0, 0, .. U32(0), .. U32(0), .. U32(timescale), .. U32((uint)duration), .. new byte[80]]);
        byte[] tail = [.. new byte[8], 0, 0, 0, 0, 0, 0, 0, 0, .. new byte[36], .. U32((uint)width << 16), .. U32((uint)height << 16)];
        var tkhd = Box("tkhd", version1
            ? [1, 0, 0, 3, .. U64(0), .. U64(0), .. U32(1), .. U32(0), .. U64(duration), .. tail]
            : [0, 0, 0, 3, .. U32(0), .. U32(0), .. U32(1), .. U32(0), .. U32((uint)duration), .. tail]);
        var hdlr = Box("hdlr", [0, 0, 0, 0, .. U32(0), .. Ascii(handler), .. new byte[12], 0]);
        var mdhd = Box("mdhd", [0, 0, 0, 0, .. U32(0), .. U32(0), .. U32(timescale), .. U32((uint)duration), 0x55, 0xC4, 0, 0]);
        var moov = Box("moov", [.. mvhd, .. Box("trak", [.. tkhd, .. Box("mdia", [.. mdhd, .. hdlr])])]);
        var mdat = Box("mdat", new byte[mdatBytes]);
        return moovLast ? [.. ftyp, .. mdat, .. moov] : [.. ftyp, .. moov, .. mdat];
    }

    /// <summary>The sample clip committed in content/media (made by make-sample-video).</summary>
    public static byte[] SampleClip() =>
        File.ReadAllBytes(Path.Combine(RepositoryRoot(), "content", "media", "aizhai-bridge.webm"));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static byte[] Box(string type, byte[] payload) => [.. U32((uint)(8 + payload.Length)), .. Ascii(type), .. payload];

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }
}
