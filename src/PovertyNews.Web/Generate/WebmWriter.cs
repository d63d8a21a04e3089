using System.Buffers.Binary;
using System.Text;

namespace PovertyNews.Web.Generate;

/// <summary>
/// Writes a WebM file of VP8 keyframes: the EBML header, one Segment with Info (time scale, duration), Tracks (one
/// V_VP8 video track) and Clusters of SimpleBlocks, each frame a keyframe. This is how the sample clip is made without
/// ffmpeg: every frame is drawn with SkiaSharp and encoded as lossy WebP, whose <c>VP8 </c> chunk is exactly a VP8
/// keyframe (the same trick as webm-writer.js). Keyframes only make a larger file than a real encoder would, which is
/// fine for a few seconds of sample content.
/// </summary>
public sealed class WebmWriter(int width, int height, double framesPerSecond)
{
    private const uint EbmlHeaderId = 0x1A45DFA3, SegmentId = 0x18538067, InfoId = 0x1549A966, TracksId = 0x1654AE6B,
        TrackEntryId = 0xAE, VideoId = 0xE0, ClusterId = 0x1F43B675, TimecodeId = 0xE7, SimpleBlockId = 0xA3;

    /// <summary>A new cluster every this many milliseconds (a block's time is a 16-bit offset from its cluster's).</summary>
    private const long ClusterMilliseconds = 5000;

    private readonly List<byte[]> frames = [];

    public int FrameCount => frames.Count;

    /// <summary>Milliseconds per frame; the duration is frames × this.</summary>
    public double FrameMilliseconds => 1000.0 / framesPerSecond;

    public double DurationSeconds => frames.Count / framesPerSecond;

    /// <summary>Adds a frame given as a lossy WebP file (its VP8 bitstream is taken out of the RIFF container).</summary>
    public void AddWebpFrame(ReadOnlySpan<byte> webp) => frames.Add(Vp8OfWebp(webp).ToArray());

    /// <summary>The <c>VP8 </c> chunk of a simple (lossy, opaque) WebP file.</summary>
    public static ReadOnlySpan<byte> Vp8OfWebp(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 20 || !webp[..4].SequenceEqual("RIFF"u8) || !webp.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            throw new InvalidDataException("Not a WebP file.");
        }
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.Slice(at + 4, 4));
            if (webp.Slice(at, 4).SequenceEqual("VP8 "u8))
            {
                return webp.Slice(at + 8, size);
            }
            at += 8 + size + (size & 1); // chunks are padded to an even length
        }
        throw new InvalidDataException("The WebP file has no lossy VP8 chunk (lossless or with alpha?).");
    }

    public byte[] ToArray()
    {
        var header = Element(EbmlHeaderId,
            UInt(0x4286, 1), UInt(0x42F7, 1), UInt(0x42F2, 4), UInt(0x42F3, 8),
            Str(0x4282, "webm"), UInt(0x4287, 2), UInt(0x4285, 2));
        var info = Element(InfoId,
            UInt(0x2AD7B1, 1_000_000), // time codes in milliseconds
            Str(0x4D80, "PovertyNews WebmWriter"), Str(0x5741, "PovertyNews make-sample-video"),
            Float(0x4489, frames.Count * FrameMilliseconds));
        var tracks = Element(TracksId, Element(TrackEntryId,
            UInt(0xD7, 1), UInt(0x73C5, 1), UInt(0x9C, 0), Str(0x86, "V_VP8"), UInt(0x83, 1),
            UInt(0x23E383, (ulong)Math.Round(1_000_000 * FrameMilliseconds)), // default duration, ns
            Element(VideoId, UInt(0xB0, (ulong)width), UInt(0xBA, (ulong)height))));
        var clusters = new List<byte[]>();
        for (var first = 0; first < frames.Count;)
        {
            var clusterTime = (long)Math.Round(first * FrameMilliseconds);
            var blocks = new List<byte[]> { UInt(TimecodeId, (ulong)clusterTime) };
            var i = first;
            for (; i < frames.Count && (long)Math.Round(i * FrameMilliseconds) - clusterTime < ClusterMilliseconds; i++)
            {
                var relative = (short)((long)Math.Round(i * FrameMilliseconds) - clusterTime);
                var block = new byte[4 + frames[i].Length];
                block[0] = 0x81; // track 1 as a one-byte variable-length integer
                BinaryPrimitives.WriteInt16BigEndian(block.AsSpan(1), relative);
                block[3] = 0x80; // keyframe
                frames[i].CopyTo(block, 4);
                blocks.Add(Element(SimpleBlockId, block));
            }
            clusters.Add(Element(ClusterId, [.. blocks]));
            first = i;
        }
        var segment = Element(SegmentId, [info, tracks, .. clusters]);
        return [.. header, .. segment];
    }

    private static byte[] Element(uint id, params byte[][] children)
    {
        var length = children.Sum(c => (long)c.Length);
        using var buffer = new MemoryStream();
        WriteId(buffer, id);
        WriteSize(buffer, length);
        foreach (var child in children)
        {
            buffer.Write(child);
        }
        return buffer.ToArray();
    }

    private static byte[] UInt(uint id, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        var skip = 0;
        while (skip < 7 && bytes[skip] == 0)
        {
            skip++;
        }
        return Element(id, bytes[skip..]);
    }

    private static byte[] Float(uint id, double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return Element(id, bytes);
    }

    private static byte[] Str(uint id, string value) => Element(id, Encoding.UTF8.GetBytes(value));

    private static void WriteId(Stream s, uint id)
    {
        // IDs keep their length marker, so they are written as they read: 1 to 4 bytes.
        var length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (var i = length - 1; i >= 0; i--)
        {
            s.WriteByte((byte)(id >> (8 * i)));
        }
    }

    private static void WriteSize(Stream s, long size)
    {
        // The shortest variable-length integer that holds the size (all ones is reserved for "unknown").
        var length = 1;
        while (size >= (1L << (7 * length)) - 1)
        {
            length++;
        }
        var value = (ulong)size | (1UL << (7 * length));
        for (var i = length - 1; i >= 0; i--)
        {
            s.WriteByte((byte)(value >> (8 * i)));
        }
    }
}
