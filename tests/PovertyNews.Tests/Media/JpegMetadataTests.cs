using System.Text;
using PovertyNews.Web.Media;

namespace PovertyNews.Tests.Media;

public class JpegMetadataTests
{
    private const string Secret = "GPS 28.3N 109.7E camera-serial-4711";

    private static byte[] Segment(byte marker, params byte[][] parts)
    {
        var payload = parts.SelectMany(p => p).ToArray();
        return [0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Strip(byte[] upload, out bool ok)
    {
        using var output = new MemoryStream();
        ok = JpegMetadata.TryStrip(new MemoryStream(upload), output);
        return output.ToArray();
    }

    // JFIF 1.02, no density units, 1:1, and a 2×1 RGB thumbnail.
    private static readonly byte[] JfifWithThumbnail = [.. "JFIF\0"u8, 1, 2, 0, 0, 1, 0, 1, 2, 1, 10, 20, 30, 40, 50, 60];
    private static readonly byte[] JfifWithoutThumbnail = [.. "JFIF\0"u8, 1, 2, 0, 0, 1, 0, 1, 0, 0];
    private static readonly byte[] Icc = [.. "ICC_PROFILE\0"u8, 1, 1, .. "a colour profile"u8];
    private static readonly byte[] Adobe = [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 1];
    private static readonly byte[] Frame = Segment(0xC2, [8, 0, 2, 0, 2, 1, 1, 0x11, 0]);
    private static readonly byte[] Tables = [.. Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]), .. Segment(0xC4, [0, 1, .. new byte[15], 0])];

    // Two scans as a progressive JPEG has them, with a table between, stuffed 0xFF 0x00 bytes, restart markers and fill
    // bytes in the entropy-coded data.
    private static readonly byte[] Scans =
    [
        .. Segment(0xDA, [1, 1, 0, 0, 0, 0]), 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD1, 0xFF, 0x00,
        .. Segment(0xC4, [0x10, 1, .. new byte[15], 0]),
        .. Segment(0xDA, [1, 1, 0, 1, 5, 0]), 0x78, 0xFF, 0xD7, 0x9A, 0xFF, 0x00,
    ];

    [Fact]
    public void MetadataTrailerAndThumbnail_AreLeftOut_AndTheImageSegmentsCopiedByteForByte()
    {
        byte[] upload =
        [
            0xFF, 0xD8,
            .. Segment(0xE0, JfifWithThumbnail),
            .. Segment(0xE1, Ascii("Exif\0\0"), Ascii(Secret)),
            .. Segment(0xE1, Ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + Secret)),
            .. Segment(0xE2, Icc),
            .. Segment(0xED, Ascii("Photoshop 3.0\0" + Secret)),
            .. Segment(0xEE, Adobe),
            .. Segment(0xFE, Ascii(Secret)),
            .. Tables, .. Frame, .. Scans,
            0xFF, 0xFF, 0xD9, // a fill byte before the end marker
            .. Ascii("PK\u0003\u0004" + Secret), 0xFF, 0xD8, 0xFF, 0xD9, // an appended file and a second picture
        ];

        var stored = Strip(upload, out var ok);

        Assert.True(ok);
        byte[] expected =
        [
            0xFF, 0xD8,
            .. Segment(0xE0, JfifWithoutThumbnail),
            .. Segment(0xE2, Icc),
            .. Segment(0xEE, Adobe),
            .. Tables, .. Frame, .. Scans,
            0xFF, 0xD9,
        ];
        Assert.Equal(expected, stored);
        Assert.True(stored.AsSpan().IndexOf(Ascii(Secret)) < 0);
    }

    [Fact]
    public void ScanLongerThanTheReadBuffer_IsCopiedWhole()
    {
        // Entropy-coded data well past the reader's 80 KB buffer, with stuffing on both sides of its edges.
        var data = Enumerable.Range(0, 300_000).SelectMany(i => i % 97 == 0 ? new byte[] { 0xFF, 0x00 } : [(byte)(i % 255)]).ToArray();
        byte[] upload = [0xFF, 0xD8, .. Tables, .. Frame, .. Segment(0xDA, [1, 1, 0, 0, 63, 0]), .. data, 0xFF, 0xD9];

        var stored = Strip(upload, out var ok);

        Assert.True(ok);
        Assert.Equal(upload, stored);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("no start marker")]
    [InlineData("garbage between segments")]
    [InlineData("segment shorter than its length field")]
    public void NotAJpegsSegmentStructure_IsReportedSoTheDecoderDecides(string damage)
    {
        byte[] whole = [0xFF, 0xD8, .. Tables, .. Frame, .. Scans, 0xFF, 0xD9];
        byte[] upload = damage switch
        {
            "truncated" => whole[..^20],
            "no start marker" => whole[2..],
            "garbage between segments" => [0xFF, 0xD8, .. Tables, 0x00, 0x01, .. Frame, .. Scans, 0xFF, 0xD9],
            _ => [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x01],
        };

        Strip(upload, out var ok);

        Assert.False(ok);
    }
}
