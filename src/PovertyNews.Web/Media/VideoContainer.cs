using System.Buffers.Binary;
using System.Text;

namespace PovertyNews.Web.Media;

/// <summary>What the container of an accepted video says about it.</summary>
/// <param name="Extension">mp4 or webm: the stored file's extension.</param>
/// <param name="DurationSeconds">Null when the container does not say (a live recording, a fragmented MP4).</param>
public sealed record VideoInfo(string Extension, string ContentType, int Width, int Height, double? DurationSeconds);

/// <summary>
/// Recognises MP4 (ISO base media) and WebM files by their container, never by name or by what the browser claims, and
/// reads the few facts the library keeps: the picture size and the running time. Only the boxes/elements on the way are
/// read (a few KB, seeking over the media data), so a 200 MB upload costs no more than a small one. A file that only
/// starts like a video (a renamed text file, an image with an ISO-BMFF header such as AVIF/HEIC, a Matroska file that
/// is not WebM, an MP4 without a video track) is refused: a browser could not play it in a <c>&lt;video&gt;</c>.
/// </summary>
public static class VideoContainer
{
    /// <summary>
    /// MP4 brands browsers play: the ISO base-media family, MP4 versions 1/2, H.264 (avc1), DASH segments and Apple's
    /// M4V. QuickTime (qt) and 3GP are left out on purpose (not reliably playable), as are the image brands (avif,
    /// heic, mif1) and audio-only M4A.
    /// </summary>
    public static readonly IReadOnlySet<string> Mp4Brands = new HashSet<string>(StringComparer.Ordinal)
    {
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V ", "M4VH", "M4VP", "mmp4", "msnv",
    };

    public const string Mp4ContentType = "video/mp4";
    public const string WebmContentType = "video/webm";

    /// <summary>Does the file start like a video container at all (to tell a video upload from an image one)?</summary>
    public static bool StartsLikeVideo(ReadOnlySpan<byte> head) =>
        (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) || (head.Length >= 4 && head[..4].SequenceEqual(EbmlMagic));

    private static ReadOnlySpan<byte> EbmlMagic => [0x1A, 0x45, 0xDF, 0xA3];

    /// <summary>The video's facts, or null with the reason (Chinese, for the uploader) when the file is not a playable video.</summary>
    public static (VideoInfo? Info, string? Refusal) Read(Stream file)
    {
        var head = new byte[8];
        file.Position = 0;
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        try
        {
            if (n >= 8 && head.AsSpan(4, 4).SequenceEqual("ftyp"u8))
            {
                return Mp4.Read(file);
            }
            if (n >= 4 && head.AsSpan(0, 4).SequenceEqual(EbmlMagic))
            {
                return Webm.Read(file);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or OverflowException or ArgumentOutOfRangeException)
        {
            return (null, Damaged);
        }
        return (null, NotAVideo);
    }

    public const string NotAVideo = "这不是 MP4 或 WebM 视频文件（按文件内容判断，与扩展名无关）。请上传 MP4（H.264）或 WebM 格式的视频。";
    public const string Damaged = "视频文件不完整或已损坏，无法读取其格式信息。请重新导出后再上传。";

    /// <summary>ISO base media (MP4): ftyp first, then moov somewhere among the top-level boxes.</summary>
    private static class Mp4
    {
        public static (VideoInfo?, string?) Read(Stream file)
        {
            file.Position = 0;
            var length = file.Length;
            var (ftypStart, ftypEnd, type) = NextBox(file, 0, length);
            if (type != "ftyp" || ftypEnd - ftypStart < 8)
            {
                return (null, NotAVideo);
            }
            var brands = ReadBytes(file, ftypStart, (int)Math.Min(ftypEnd - ftypStart, 1024));
            var accepted = Mp4Brands.Contains(Ascii(brands, 0));
            for (var i = 8; i + 4 <= brands.Length && !accepted; i += 4)
            {
                accepted = Mp4Brands.Contains(Ascii(brands, i));
            }
            if (!accepted)
            {
                return (null, $"不支持的 MP4 类型（{Ascii(brands, 0).Trim()}）：只接受浏览器能直接播放的 MP4（如 H.264 编码，品牌 isom、mp42 等）。");
            }
            for (var at = ftypEnd; at < length;)
            {
                var (start, end, box) = NextBox(file, at, length);
                if (box == "moov")
                {
                    return FromMoov(file, start, end);
                }
                at = end;
            }
            return (null, "MP4 文件缺少影片信息（moov），可能没有导出完整。");
        }

        private static (VideoInfo?, string?) FromMoov(Stream file, long start, long end)
        {
            double? duration = null;
            (int W, int H)? size = null;
            foreach (var (s, e, type) in Children(file, start, end))
            {
                if (type == "mvhd")
                {
                    var p = ReadBytes(file, s, (int)Math.Min(e - s, 40));
                    var (timescale, units) = p[0] == 1
                        ? (BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(20)), BinaryPrimitives.ReadUInt64BigEndian(p.AsSpan(24)))
                        : (BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(12)), (ulong)BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(16)));
                    // All ones means "unknown"; zero is what a fragmented MP4 writes.
                    if (timescale > 0 && units > 0 && units != uint.MaxValue && units != ulong.MaxValue)
                    {
                        duration = (double)units / timescale;
                    }
                }
                else if (type == "trak" && size is null)
                {
                    size = VideoTrackSize(file, s, e);
                }
            }
            return size is { } wh
                ? (new VideoInfo("mp4", Mp4ContentType, wh.W, wh.H, duration), null)
                : (null, "MP4 文件里没有视频轨道（可能只有音频）。");
        }

        /// <summary>The picture size of a track whose handler is 'vide', from its tkhd; null for other tracks.</summary>
        private static (int, int)? VideoTrackSize(Stream file, long start, long end)
        {
            (int, int)? size = null;
            var video = false;
            foreach (var (s, e, type) in Children(file, start, end))
            {
                if (type == "tkhd")
                {
                    var p = ReadBytes(file, s, (int)Math.Min(e - s, 96));
                    var offset = p[0] == 1 ? 88 : 76;
                    // 16.16 fixed point.
                    var w = (int)(BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(offset)) >> 16);
                    var h = (int)(BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(offset + 4)) >> 16);
                    size = (w, h);
                }
                else if (type == "mdia")
                {
                    foreach (var (ms, me, mtype) in Children(file, s, e))
                    {
                        if (mtype == "hdlr" && me - ms >= 12)
                        {
                            video = Ascii(ReadBytes(file, ms, 12), 8) == "vide";
                        }
                    }
                }
            }
            return video && size is { Item1: > 0 and <= 16384, Item2: > 0 and <= 16384 } ? size : null;
        }

        private static IEnumerable<(long Start, long End, string Type)> Children(Stream file, long start, long end)
        {
            for (var at = start; at + 8 <= end;)
            {
                var box = NextBox(file, at, end);
                yield return box;
                at = box.End;
            }
        }

        /// <summary>The box at <paramref name="at"/>: where its payload starts and where it ends, and its type.</summary>
        private static (long Start, long End, string Type) NextBox(Stream file, long at, long limit)
        {
            var header = ReadBytes(file, at, 8);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Ascii(header, 4);
            var payload = at + 8;
            if (size == 1)
            {
                size = checked((long)BinaryPrimitives.ReadUInt64BigEndian(ReadBytes(file, at + 8, 8)));
                payload += 8;
            }
            else if (size == 0)
            {
                size = limit - at; // to the end of the file
            }
            if (size < payload - at || at + size > limit)
            {
                throw new InvalidDataException($"Box {type} at {at} overruns its parent.");
            }
            return (payload, at + size, type);
        }
    }

    /// <summary>WebM: an EBML header whose DocType is "webm", then a Segment with Info and Tracks before the first Cluster.</summary>
    private static class Webm
    {
        private const uint EbmlHeader = 0x1A45DFA3, DocType = 0x4282, Segment = 0x18538067, Info = 0x1549A966,
            TimecodeScale = 0x2AD7B1, Duration = 0x4489, Tracks = 0x1654AE6B, TrackEntry = 0xAE, TrackType = 0x83,
            Video = 0xE0, PixelWidth = 0xB0, PixelHeight = 0xBA, Cluster = 0x1F43B675;

        public static (VideoInfo?, string?) Read(Stream file)
        {
            var reader = new EbmlReader(file);
            var length = file.Length;
            var header = reader.Element(0, length);
            if (header.Id != EbmlHeader)
            {
                return (null, NotAVideo);
            }
            string? docType = null;
            foreach (var child in reader.Children(header, length))
            {
                if (child.Id == DocType)
                {
                    docType = reader.String(child);
                }
            }
            if (docType != "webm")
            {
                return (null, $"不支持的 Matroska 类型（{docType ?? "未注明"}）：只接受 WebM 视频，MKV 请先转为 WebM 或 MP4。");
            }
            var segment = reader.Element(header.End, length);
            if (segment.Id != Segment)
            {
                return (null, Damaged);
            }
            ulong scale = 1_000_000;
            double? units = null;
            (int W, int H)? size = null;
            foreach (var child in reader.Children(segment, length))
            {
                if (child.Id == Info)
                {
                    foreach (var field in reader.Children(child, length))
                    {
                        if (field.Id == TimecodeScale)
                        {
                            scale = reader.UInt(field);
                        }
                        else if (field.Id == Duration)
                        {
                            units = reader.Float(field);
                        }
                    }
                }
                else if (child.Id == Tracks)
                {
                    foreach (var entry in reader.Children(child, length).Where(e => e.Id == TrackEntry))
                    {
                        size ??= VideoTrackSize(reader, entry, length);
                    }
                }
                else if (child.Id == Cluster)
                {
                    break; // the media itself: Info and Tracks come before it
                }
            }
            if (size is not { } wh)
            {
                return (null, "WebM 文件里没有视频轨道（可能只有音频）。");
            }
            double? seconds = units is > 0 and < 1e15 && scale > 0 ? units * scale / 1e9 : null;
            return (new VideoInfo("webm", WebmContentType, wh.W, wh.H, seconds), null);
        }

        private static (int, int)? VideoTrackSize(EbmlReader reader, EbmlElement entry, long length)
        {
            ulong type = 0;
            (int, int)? size = null;
            foreach (var field in reader.Children(entry, length))
            {
                if (field.Id == TrackType)
                {
                    type = reader.UInt(field);
                }
                else if (field.Id == Video)
                {
                    ulong w = 0, h = 0;
                    foreach (var v in reader.Children(field, length))
                    {
                        if (v.Id == PixelWidth) { w = reader.UInt(v); }
                        else if (v.Id == PixelHeight) { h = reader.UInt(v); }
                    }
                    size = w is > 0 and <= 16384 && h is > 0 and <= 16384 ? ((int)w, (int)h) : null;
                }
            }
            return type == 1 ? size : null;
        }
    }

    internal static byte[] ReadBytes(Stream file, long at, int count)
    {
        var buffer = new byte[count];
        file.Position = at;
        file.ReadExactly(buffer);
        return buffer;
    }

    private static string Ascii(byte[] bytes, int offset) =>
        offset + 4 <= bytes.Length ? Encoding.Latin1.GetString(bytes, offset, 4) : "";
}

/// <summary>An EBML element: its ID, where its data starts, and its data size (null: unknown, runs to the parent's end).</summary>
public readonly record struct EbmlElement(uint Id, long DataStart, long? Size)
{
    public long End => Size is { } size ? DataStart + size : long.MaxValue;
}

/// <summary>Reads EBML (Matroska/WebM) elements from a seekable stream: IDs and sizes as variable-length integers.</summary>
public sealed class EbmlReader(Stream file)
{
    public EbmlElement Element(long at, long limit)
    {
        file.Position = at;
        var (id, idLength) = VarInt(keepMarker: true);
        var (size, sizeLength) = VarInt(keepMarker: false);
        var unknown = size == (1UL << (7 * sizeLength)) - 1; // all ones
        var start = at + idLength + sizeLength;
        if (!unknown && (size > (ulong)(limit - start)))
        {
            throw new InvalidDataException($"EBML element {id:X} at {at} overruns its parent.");
        }
        return new EbmlElement((uint)id, start, unknown ? null : (long)size);
    }

    public IEnumerable<EbmlElement> Children(EbmlElement parent, long fileLength)
    {
        var end = Math.Min(parent.End, fileLength);
        for (var at = parent.DataStart; at < end;)
        {
            var child = Element(at, end);
            yield return child;
            if (child.Size is null)
            {
                yield break; // an unknown-size child (a live Cluster) runs to the end
            }
            at = child.End;
        }
    }

    public ulong UInt(EbmlElement e)
    {
        var bytes = Data(e, 8);
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }
        return value;
    }

    public double Float(EbmlElement e)
    {
        var bytes = Data(e, 8);
        return bytes.Length switch
        {
            4 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            8 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            0 => 0,
            _ => throw new InvalidDataException("An EBML float is 4 or 8 bytes."),
        };
    }

    public string String(EbmlElement e) => Encoding.UTF8.GetString(Data(e, 256)).TrimEnd('\0');

    public byte[] Data(EbmlElement e, int max)
    {
        if (e.Size is not { } size || size > max)
        {
            throw new InvalidDataException($"EBML element {e.Id:X} is larger than expected.");
        }
        return VideoContainer.ReadBytes(file, e.DataStart, (int)size);
    }

    /// <summary>A variable-length integer: the leading zeros of the first byte give its length (1–8).</summary>
    private (ulong Value, int Length) VarInt(bool keepMarker)
    {
        var first = file.ReadByte();
        if (first <= 0)
        {
            throw new InvalidDataException("Bad EBML variable-length integer.");
        }
        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 24 + 1;
        ulong value = keepMarker ? (ulong)first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++)
        {
            var b = file.ReadByte();
            if (b < 0)
            {
                throw new EndOfStreamException();
            }
            value = (value << 8) | (uint)b;
        }
        return (value, length);
    }
}
